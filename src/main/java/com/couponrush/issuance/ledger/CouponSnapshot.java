package com.couponrush.issuance.ledger;

import java.time.LocalDateTime;

/**
 * The columns of a coupon row that decide an issuance, as read inside the deciding transaction. What they mean
 * for a request is {@link IssuancePolicy}'s to say.
 */
public record CouponSnapshot(long id, int quantity, int issuedCount, int perUserLimit,
                             LocalDateTime startDate, LocalDateTime endDate, boolean paused) {

    public int remaining() {
        return quantity - issuedCount;
    }

    public boolean limitsPerUser() {
        return perUserLimit > 0;
    }
}
