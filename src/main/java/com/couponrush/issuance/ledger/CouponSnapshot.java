package com.couponrush.issuance.ledger;

import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;

/** The columns of a coupon row that decide an issuance, as read inside the deciding transaction. */
public record CouponSnapshot(long id, int quantity, int issuedCount, int perUserLimit, LocalDateTime startDate,
                      LocalDateTime endDate, boolean paused) {

    public CouponSnapshot(long id, int quantity, int issuedCount, int perUserLimit, LocalDateTime startDate,
                   LocalDateTime endDate) {
        this(id, quantity, issuedCount, perUserLimit, startDate, endDate, false);
    }

    /**
     * Why nobody can get this coupon now, whatever the stock; null while it is open. The same order as
     * {@code Coupon.statusAt}: window, then pause.
     */
    public ErrorCode closedReason(LocalDateTime now) {
        if (now.isBefore(startDate)) {
            return ErrorCode.COUPON_NOT_STARTED;
        }
        if (!now.isBefore(endDate)) {
            return ErrorCode.COUPON_ENDED;
        }
        return paused ? ErrorCode.COUPON_PAUSED : null;
    }

    public int remaining() {
        return quantity - issuedCount;
    }

    public boolean limitsPerUser() {
        return perUserLimit > 0;
    }
}
