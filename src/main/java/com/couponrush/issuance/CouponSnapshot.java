package com.couponrush.issuance;

import java.time.LocalDateTime;

/** The columns of a coupon row that decide an issuance, as read inside the deciding transaction. */
record CouponSnapshot(long id, int quantity, int issuedCount, int perUserLimit, LocalDateTime startDate,
                      LocalDateTime endDate) {

    int remaining() {
        return quantity - issuedCount;
    }

    boolean limitsPerUser() {
        return perUserLimit > 0;
    }
}
