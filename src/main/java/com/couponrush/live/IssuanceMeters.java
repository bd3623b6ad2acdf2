package com.couponrush.live;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads the {@code coupon.issuance} timers that the issuance service records, the same meters that
 * {@code /actuator/prometheus} exposes, so the console and a Prometheus dashboard can never disagree.
 */
@Component
class IssuanceMeters {

    /** Must match the name IssuanceService records under; LiveStreamIT fails if the two drift apart. */
    static final String METRIC = "coupon.issuance";
    static final String ISSUED = "ISSUED";

    private final MeterRegistry registry;

    IssuanceMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Cumulative attempts since start-up: coupon id → outcome (ISSUED or the refusal's ErrorCode) → count. */
    Map<Long, Map<String, Long>> countsByCouponAndOutcome() {
        Map<Long, Map<String, Long>> counts = new HashMap<>();
        for (Timer timer : registry.find(METRIC).timers()) {
            String coupon = timer.getId().getTag("coupon");
            String outcome = timer.getId().getTag("outcome");
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
