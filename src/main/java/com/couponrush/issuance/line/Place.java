package com.couponrush.issuance.line;

import com.couponrush.web.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * A user's place in a coupon's waiting line as stored: its number, and once decided its outcome (the issued row,
 * or why not).
 */
record Place(long couponId, long number, long userId, Status status, @Nullable ErrorCode reason,
             @Nullable Long userCouponId) {

    enum Status { WAITING, ISSUED, REFUSED }

    static Place waiting(long couponId, long number, long userId) {
        return new Place(couponId, number, userId, Status.WAITING, null, null);
    }

    boolean decided() {
        return status != Status.WAITING;
    }
}
