package com.couponrush.issuance.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.issuance.IssuanceProperties;
import com.couponrush.issuance.IssuanceStrategies;
import com.couponrush.issuance.IssuanceStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainStrategiesTest {

    final List<IssuanceStrategy> all = List.of(
            new UnsafeEntityIssuance(null, null, null),
            new PessimisticLockIssuance(null),
            new AtomicUpdateIssuance(null, null),
            new LettuceSpinLockIssuance(null),
            new RedissonFairLockIssuance(null));

    @Test
    void everyStrategyIsSelectableByItsDocumentedName() {
        for (String name : List.of("pessimistic-lock", "atomic-update", "lettuce-spin-lock", "redisson-fair-lock")) {
            assertThat(new IssuanceStrategies(all, new IssuanceProperties(name, false, null)).active().name())
                    .isEqualTo(name);
        }
    }
}
