package com.couponrush.issuance;

import com.couponrush.issuance.line.LineDtos;

/**
 * The answer "not decided yet, but you have a place": the request could not be decided at once and its user now
 * holds a committed place in the coupon's waiting line, to be decided in place order. Answered as 202 Accepted with
 * the place (the body of {@code POST /api/v1/coupons/{id}/line}), its {@code Location} and Retry-After. It carries
 * no stack trace: it is an answer, not a fault.
 */
public final class InLine extends RuntimeException {

    private final long couponId;
    private final transient LineDtos.PlaceResponse place;
    private final long retryAfterSeconds;

    public InLine(long couponId, LineDtos.PlaceResponse place, long retryAfterSeconds) {
        super("IN_LINE", null, false, false);
        this.couponId = couponId;
        this.place = place;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long couponId() {
        return couponId;
    }

    public LineDtos.PlaceResponse place() {
        return place;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
