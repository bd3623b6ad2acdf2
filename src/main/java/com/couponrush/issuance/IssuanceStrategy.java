package com.couponrush.issuance;

import java.util.concurrent.CompletableFuture;

/**
 * How one coupon gets issued to one user when thousands ask at once. Every strategy is a plug-in
 * behind this interface, selected with {@code coupon.issuance.strategy}.
 *
 * <p>The contract every <em>safe</em> strategy keeps (and the concurrency tests assert):
 * <ul>
 *   <li>returning normally means the user_coupon row and the coupon's issued counter change are both
 *       committed, together, in the database;</li>
 *   <li>the issued counter never exceeds the quantity, and a user never holds more than the coupon's
 *       per-user limit, however many threads and service instances race;</li>
 *   <li>a refusal is an {@link com.couponrush.web.ApiException} with a precise reason (not found, not
 *       started, ended, sold out, limit reached, lock not acquired, overloaded) and writes nothing.</li>
 * </ul>
 * Only {@code none} breaks this contract, on purpose: it reproduces the seed's lost-update anomaly.
 */
public interface IssuanceStrategy {

    /** The value of {@code coupon.issuance.strategy} that selects this strategy. */
    String name();

    /** Whether the strategy keeps the contract above; unsafe ones need {@code coupon.issuance.allow-unsafe}. */
    default boolean safe() {
        return true;
    }

    /**
     * Whether the strategy answers a request's idempotency key itself (replay, or IDEMPOTENCY_KEY_REUSED for a key
     * used with another coupon); otherwise {@link IssuanceService} looks the key up before calling it.
     */
    default boolean resolvesIdempotencyKeys() {
        return false;
    }

    IssuedCoupon issue(IssueCommand command);

    /**
     * Whether the strategy waits for its answer without a thread ({@link #issueAsync}). The others are called through
     * {@link #issue} only: their transaction and lock are advice on their Spring proxy, which a call from one of
     * their own methods would bypass.
     */
    default boolean answersAsynchronously() {
        return false;
    }

    /**
     * The same issuance, answered through a future, so that a caller who can wait without holding a thread (an
     * asynchronous HTTP request) does. The future completes only when {@link #issue} would have returned or thrown,
     * with the same guarantees. Only strategies that {@link #answersAsynchronously()} implement it.
     */
    default CompletableFuture<IssuedCoupon> issueAsync(IssueCommand command) {
        throw new UnsupportedOperationException(name() + " answers synchronously: call issue");
    }
}
