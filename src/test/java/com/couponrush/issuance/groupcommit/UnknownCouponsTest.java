package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnknownCouponsTest {

    @Test
    void aMissingCouponIsRememberedForTheRefreshIntervalOnly() {
        UnknownCoupons unknown = new UnknownCoupons(Duration.ofHours(1), 10);
        unknown.remember(42);
        assertThat(unknown.known(42)).isTrue();
        assertThat(unknown.known(43)).isFalse();

        unknown.forgetExpired(System.nanoTime() + Duration.ofHours(2).toNanos());
        assertThat(unknown.known(42)).isFalse();

        UnknownCoupons expired = new UnknownCoupons(Duration.ZERO, 10);
        expired.remember(42);
        assertThat(expired.known(42)).as("past its refresh interval").isFalse();
    }

    @Test
    void whateverIdsClientsSendTheMemoryStaysBounded() {
        UnknownCoupons unknown = new UnknownCoupons(Duration.ofHours(1), 100);
        for (long id = 1; id <= 100_000; id++) {
            unknown.remember(id);
        }
        assertThat(unknown.size()).isEqualTo(100);
    }
}
