package com.couponrush.issuance.line;

import java.util.concurrent.CompletableFuture;

/**
 * The line's entry for whoever hands it requests it cannot decide at once (the group-commit engine's overflow):
 * the same as {@code POST /api/v1/coupons/{id}/line}, a place taken now (committed before the future completes) or
 * the one the user already holds, decided or not. The line knows nothing of who calls it.
 */
public interface PlaceTaker {

    /**
     * @throws com.couponrush.web.ApiException (through the future) the refusals of the line's join: COUPON_NOT_FOUND,
     *                                         COUPON_ENDED, COUPON_SOLD_OUT, PER_USER_LIMIT_REACHED, or a retryable
     *                                         SERVICE_OVERLOADED / STORAGE_UNAVAILABLE
     */
    CompletableFuture<LineDtos.PlaceResponse> take(long couponId, long userId);
}
