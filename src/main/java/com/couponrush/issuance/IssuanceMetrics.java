package com.couponrush.issuance;

/**
 * The {@code coupon.issuance} timer, for whoever records it ({@link IssuanceService}) or reads it (the live
 * console): one timer per strategy, outcome and coupon, as {@code /actuator/prometheus} exposes it.
 */
public final class IssuanceMetrics {

    public static final String TIMER = "coupon.issuance";
    public static final String STRATEGY_TAG = "strategy";
    /** {@link #ISSUED}, {@link #IN_LINE}, a refusal's {@code ErrorCode}, or {@code ERROR}. */
    public static final String OUTCOME_TAG = "outcome";
    /** The coupon's id once an outcome proved the coupon exists, else {@link #UNKNOWN_COUPON}. */
    public static final String COUPON_TAG = "coupon";
    public static final String ISSUED = "ISSUED";
    /** Not decided at once: the caller got a place in the coupon's waiting line ({@link InLine}). */
    public static final String IN_LINE = "IN_LINE";
    /** The coupon tag of attempts for a coupon not known to exist: clients choose ids, not series. */
    public static final String UNKNOWN_COUPON = "unknown";

    private IssuanceMetrics() {
    }
}
