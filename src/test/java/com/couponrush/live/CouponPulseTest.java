package com.couponrush.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CouponPulseTest {

    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void turnsCumulativeMeterCountsIntoPerSecondIssuedAndRejected() {
        CouponPulse pulse = new CouponPulse(300);
        pulse.sample(START, Map.of("ISSUED", 3L));
        pulse.sample(START.plusSeconds(1), Map.of("ISSUED", 10L, "COUPON_SOLD_OUT", 2L, "PER_USER_LIMIT_REACHED", 1L));
        pulse.sample(START.plusSeconds(2), Map.of("ISSUED", 10L, "COUPON_SOLD_OUT", 5L, "PER_USER_LIMIT_REACHED", 1L));

        assertThat(pulse.issuedPerSecond()).containsExactly(3, 7, 0);
        assertThat(pulse.rejectedPerSecond()).containsExactly(0, 3, 3);
        assertThat(pulse.issuedTotal()).isEqualTo(10);
        assertThat(pulse.rejectionsByReason()).containsExactlyInAnyOrderEntriesOf(
                Map.of("COUPON_SOLD_OUT", 5L, "PER_USER_LIMIT_REACHED", 1L));
        assertThat(pulse.recentRate(2)).isEqualTo(3.5);
    }

    @Test
    void keepsOnlyTheWindow() {
        CouponPulse pulse = new CouponPulse(3);
        for (int second = 1; second <= 5; second++) {
            pulse.sample(START.plusSeconds(second), Map.of("ISSUED", (long) second * second));
        }
        assertThat(pulse.issuedPerSecond()).containsExactly(5, 7, 9);
    }

    @Test
    void timesTheSellOutFromTheFirstIssuanceToTheFirstEmptySample() {
        CouponPulse pulse = new CouponPulse(300);
        pulse.sample(START, Map.of("COUPON_NOT_STARTED", 4L));
        pulse.observeRemaining(START, 10);
        pulse.sample(START.plusSeconds(1), Map.of("COUPON_NOT_STARTED", 4L, "ISSUED", 6L));
        pulse.observeRemaining(START.plusSeconds(1), 4);
        assertThat(pulse.timeToSellOut()).isNull();

        pulse.sample(START.plusSeconds(4), Map.of("COUPON_NOT_STARTED", 4L, "ISSUED", 10L));
        pulse.observeRemaining(START.plusSeconds(4), 0);
        pulse.observeRemaining(START.plusSeconds(9), 0);
        assertThat(pulse.timeToSellOut()).isEqualTo(Duration.ofSeconds(3));
        assertThat(pulse.activeWithin(START.plusSeconds(5), Duration.ofSeconds(2))).isTrue();
        assertThat(pulse.activeWithin(START.plusSeconds(9), Duration.ofSeconds(2))).isFalse();
    }
}
