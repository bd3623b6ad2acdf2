package com.couponrush.holding;

import java.time.LocalDateTime;

/** One of the caller's coupons as listed: the seed's fields, plus the coupon id. */
public record HeldCoupon(long id, long couponId, String name, String description, UserCouponStatus status,
                         int discountAmount, LocalDateTime startDate, LocalDateTime endDate,
                         LocalDateTime createdAt, LocalDateTime modifiedAt) {
}
