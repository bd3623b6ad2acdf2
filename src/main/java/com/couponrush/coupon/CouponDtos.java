package com.couponrush.coupon;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDateTime;

public final class CouponDtos {

    /** Large enough for any real event, small enough that issued_count stays far from INT overflow. */
    static final int MAX_QUANTITY = 100_000_000;

    private CouponDtos() {
    }

    public record CreateCouponRequest(
            @NotBlank(message = "{validation.required}") @Size(max = 100, message = "{validation.size}") String name,
            @Size(max = 500, message = "{validation.size}") String description,
            @NotNull(message = "{validation.required}") @Min(value = 1, message = "{validation.min}")
            @Max(value = 100_000_000, message = "{validation.max}") Integer discountAmount,
            @NotNull(message = "{validation.required}") @Min(value = 1, message = "{validation.min}")
            @Max(value = MAX_QUANTITY, message = "{validation.max}") Integer quantity,
            @NotNull(message = "{validation.required}") LocalDateTime startDate,
            @NotNull(message = "{validation.required}") LocalDateTime endDate,
            @Min(value = 0, message = "{validation.min}") @Max(value = MAX_QUANTITY, message = "{validation.max}")
            Integer perUserLimit) {

        /** Absent means one per user; an explicit 0 means unlimited. */
        int perUserLimitOrDefault() {
            return perUserLimit == null ? 1 : perUserLimit;
        }

        @AssertTrue(message = "{validation.coupon.window}")
        boolean isEndDateAfterStartDate() {
            return startDate == null || endDate == null || endDate.isAfter(startDate);
        }
    }

    public record CreateCouponResponse(long couponId) {
    }

    public record CouponResponse(long couponId, String name, String description, int discountAmount, int quantity,
                                 int issuedCount, int remaining, int perUserLimit, LocalDateTime startDate,
                                 LocalDateTime endDate, CouponStatus status, boolean paused) {

        static CouponResponse of(Coupon coupon, LocalDateTime now) {
            return new CouponResponse(coupon.getId(), coupon.getName(), coupon.getDescription(),
                    coupon.getDiscountAmount(), coupon.getQuantity(), coupon.getIssuedCount(), coupon.remaining(),
                    coupon.getPerUserLimit(), coupon.getStartDate(), coupon.getEndDate(), coupon.statusAt(now),
                    coupon.isPaused());
        }
    }

    public record QuantityRequest(
            @NotNull(message = "{validation.required}") @Min(value = 0, message = "{validation.min}")
            @Max(value = MAX_QUANTITY, message = "{validation.max}") Integer quantity) {
    }

    public record WindowRequest(@NotNull(message = "{validation.required}") LocalDateTime startDate,
                                @NotNull(message = "{validation.required}") LocalDateTime endDate) {
    }

    public record DetailsRequest(
            @NotBlank(message = "{validation.required}") @Size(max = 100, message = "{validation.size}") String name,
            @Size(max = 500, message = "{validation.size}") String description,
            @NotNull(message = "{validation.required}") @Min(value = 1, message = "{validation.min}")
            @Max(value = 100_000_000, message = "{validation.max}") Integer discountAmount) {
    }

    public record ChangeResponse(long changeId, long changedBy, String changedByEmail, LocalDateTime changedAt,
                                 String action, String oldValue, String newValue) {
    }

    public record IssuanceResponse(long userCouponId, long userId, String email, String nickname,
                                   LocalDateTime issuedAt, String status) {
    }
}
