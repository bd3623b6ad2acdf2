package com.couponrush.issuance.line;

import com.couponrush.web.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * A place as its holder sees it: while waiting, its position (places ahead still waiting, plus one) and the
 * estimated wait (null while the line's rate is unknown); once decided, the outcome.
 */
record PlaceView(long place, @Nullable Long position, @Nullable Long estimatedWaitSeconds, Place.Status status,
                 @Nullable ErrorCode reason, @Nullable Long userCouponId) {

    boolean waiting() {
        return status == Place.Status.WAITING;
    }
}
