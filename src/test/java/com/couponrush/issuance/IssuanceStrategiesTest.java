package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IssuanceStrategiesTest {

    final List<IssuanceStrategy> all = List.of(
            new UnsafeEntityIssuance(null, null, null),
            new PessimisticLockIssuance(null, null),
            new AtomicUpdateIssuance(null, null),
            new LettuceSpinLockIssuance(null, null),
            new RedissonFairLockIssuance(null, null));

    @Test
    void everyStrategyIsSelectableByItsDocumentedName() {
        for (String name : List.of("pessimistic-lock", "atomic-update", "lettuce-spin-lock", "redisson-fair-lock")) {
            assertThat(new IssuanceStrategies(all, new IssuanceProperties(name, false)).active().name())
                    .isEqualTo(name);
        }
    }

    @Test
    void theSeedsUnsafeOriginalNeedsAnExplicitOptIn() {
        assertThatThrownBy(() -> new IssuanceStrategies(all, new IssuanceProperties("none", false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allow-unsafe");
        assertThat(new IssuanceStrategies(all, new IssuanceProperties("none", true)).active().safe()).isFalse();
    }
}
