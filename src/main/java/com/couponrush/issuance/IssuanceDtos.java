package com.couponrush.issuance;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

public final class IssuanceDtos {

    private IssuanceDtos() {
    }

    public record IssueRequest(@NotNull(message = "{validation.required}")
                               @Positive(message = "{validation.positive}") Long couponId) {
    }

    public record IssueResponse(long userCouponId) {
    }
}
