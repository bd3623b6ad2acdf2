package com.couponrush.issuance;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.LocalDateTime;

public final class UserCouponDtos {

    private UserCouponDtos() {
    }

    public record IssueRequest(@NotNull(message = "{validation.required}")
                               @Positive(message = "{validation.positive}") Long couponId) {
    }

    public record IssueResponse(long userCouponId) {
    }

    /** The seed's fields, plus the coupon id. */
    public record UserCouponResponse(long id, long couponId, String name, String description, UserCouponStatus status,
                                     int discountAmount, LocalDateTime startDate, LocalDateTime endDate,
                                     LocalDateTime createdAt, LocalDateTime modifiedAt) {
    }
}
