package com.couponrush.issuance.line;

import org.jspecify.annotations.Nullable;

public final class LineDtos {

    private LineDtos() {
    }

    /**
     * @param place                the place's number in the coupon's line (1, 2, 3… across instances)
     * @param position             places ahead still waiting, plus one; null once decided
     * @param estimatedWaitSeconds null once decided, or while the line's decision rate is unknown (paused, or not
     *                             yet measured)
     * @param status               WAITING, ISSUED or REFUSED
     * @param reason               why a REFUSED place got no coupon (an error code: COUPON_SOLD_OUT, …)
     * @param userCouponId         the coupon an ISSUED place got
     */
    public record PlaceResponse(long place, @Nullable Long position, @Nullable Long estimatedWaitSeconds,
                                String status, @Nullable String reason, @Nullable Long userCouponId) {

        static PlaceResponse of(PlaceView view) {
            return new PlaceResponse(view.place(), view.position(), view.estimatedWaitSeconds(),
                    view.status().name(), view.reason() == null ? null : view.reason().name(), view.userCouponId());
        }

        /** Not decided yet: {@code status} WAITING. */
        public boolean waiting() {
            return Place.Status.WAITING.name().equals(status);
        }
    }

    /** Where the caller follows their place: {@code GET /api/v1/coupons/{id}/line/me}. */
    public static String placeLocation(long couponId) {
        return "/api/v1/coupons/" + couponId + "/line/me";
    }
}
