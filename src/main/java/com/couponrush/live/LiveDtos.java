package com.couponrush.live;

import com.couponrush.coupon.CouponStatus;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/** What the two streams push every second. */
final class LiveDtos {

    private LiveDtos() {
    }

    /**
     * The event page's view: counts only. {@code opensInMillis} / {@code closesInMillis} are measured on the
     * server's clock so that a browser with a wrong clock or another time zone still counts down correctly.
     */
    record PublicCoupon(long couponId, int quantity, int issuedCount, int remaining, CouponStatus status,
                        long opensInMillis, long closesInMillis) {
    }

    record PublicSnapshot(long serverTime, List<PublicCoupon> coupons) {
    }

    /**
     * The operator's view of one coupon. The per-second series end at {@code sampledAt} (epoch seconds), one
     * value per second, oldest first; rejections and {@code issuedOutcomes} are this instance's meters since
     * start-up (an idempotent replay counts as an ISSUED outcome, so it can exceed {@code issuedCount}).
     */
    record ConsoleCoupon(long couponId, String name, int quantity, int issuedCount, int remaining, int perUserLimit,
                         LocalDateTime startDate, LocalDateTime endDate, CouponStatus status,
                         long sampledAt, List<Integer> issuedPerSecond, List<Integer> rejectedPerSecond,
                         long issuedOutcomes, Map<String, Long> rejectionsByReason, Double ratePerSecond,
                         Long soldOutInSeconds, Long estimatedSecondsToSellOut) {
    }

    record ConsoleSnapshot(long serverTime, List<ConsoleCoupon> coupons) {
    }
}
