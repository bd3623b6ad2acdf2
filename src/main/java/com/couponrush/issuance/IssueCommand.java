package com.couponrush.issuance;

/** One user asking for one coupon. The idempotency key, when present, is stored with the issued row. */
public record IssueCommand(long couponId, long userId, String idempotencyKey) {
}
