package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IssuanceStrategiesTest {

    private final IssuanceStrategy safe = new Named("safe-one", true);
    private final IssuanceStrategy unsafe = new Named("unsafe-one", false);

    @Test
    void selectsTheConfiguredStrategyByName() {
        IssuanceStrategies strategies = new IssuanceStrategies(List.of(safe, unsafe),
                new IssuanceProperties("safe-one", false, null));

        assertThat(strategies.active()).isSameAs(safe);
        assertThat(strategies.names()).containsExactly("safe-one", "unsafe-one");
    }

    @Test
    void anUnknownNameStopsStartUpAndListsTheChoices() {
        assertThatThrownBy(() -> new IssuanceStrategies(List.of(safe), new IssuanceProperties("nope", false, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nope").hasMessageContaining("safe-one");
    }

    @Test
    void anUnsafeStrategyNeedsAnExplicitOptIn() {
        assertThatThrownBy(() -> new IssuanceStrategies(List.of(unsafe),
                new IssuanceProperties("unsafe-one", false, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allow-unsafe");
        assertThat(new IssuanceStrategies(List.of(unsafe), new IssuanceProperties("unsafe-one", true, null)).active())
                .isSameAs(unsafe);
    }

    private record Named(String name, boolean safe) implements IssuanceStrategy {

        @Override
        public IssuedCoupon issue(IssueCommand command) {
            throw new UnsupportedOperationException();
        }
    }
}
