package com.couponrush.live;

import com.couponrush.issuance.IssuanceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * How many issuance attempts ended in each outcome, per coupon, read from the {@link IssuanceMetrics} timers that
 * the issuance service records: the same meters that {@code /actuator/prometheus} exposes, so the console and a
 * Prometheus dashboard can never disagree.
 */
@Component
class IssuanceOutcomeCounts {

    private final MeterRegistry registry;

    IssuanceOutcomeCounts(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Cumulative attempts since start-up: coupon id → outcome (ISSUED or the refusal's ErrorCode) → count. */
    Map<Long, Map<String, Long>> byCoupon() {
        Map<Long, Map<String, Long>> counts = new HashMap<>();
        for (Timer timer : registry.find(IssuanceMetrics.TIMER).timers()) {
            String coupon = timer.getId().getTag(IssuanceMetrics.COUPON_TAG);
            String outcome = timer.getId().getTag(IssuanceMetrics.OUTCOME_TAG);
            if (coupon == null || outcome == null) {
                continue;
            }
            long couponId;
            try {
                couponId = Long.parseLong(coupon);
            } catch (NumberFormatException notACouponId) {
                continue;
            }
            // One timer per strategy: a strategy switch at run time adds up instead of hiding counts.
            counts.computeIfAbsent(couponId, id -> new HashMap<>()).merge(outcome, timer.count(), Long::sum);
        }
        return counts;
    }
}
