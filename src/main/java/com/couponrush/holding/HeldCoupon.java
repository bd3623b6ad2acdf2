package com.couponrush.holding;

import java.time.LocalDateTime;

public final class HoldingDtos {

    private HoldingDtos() {
    }

    /** The seed's fields, plus the coupon id. */
    public record UserCouponResponse(long id, long couponId, String name, String description, UserCouponStatus status,
                                     int discountAmount, LocalDateTime startDate, LocalDateTime endDate,
                                     LocalDateTime createdAt, LocalDateTime modifiedAt) {
    }
}
