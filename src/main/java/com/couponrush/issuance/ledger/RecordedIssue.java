package com.couponrush.issuance.ledger;

/** A committed row under an idempotency key, and the coupon it was for. */
public record RecordedIssue(long userCouponId, long couponId) {
}
