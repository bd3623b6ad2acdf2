package com.couponrush.issuance.groupcommit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the {@code group-commit} engine (see docs/engine.md).
 *
 * @param maxBatch     most requests decided in one transaction
 * @param maxQueue     most requests waiting per coupon on one instance; beyond it, 503 SERVICE_OVERLOADED at once
 * @param waitTimeout  longest a request waits for its answer; then 503 (and nothing was issued to it if it was
 *                     still queued)
 * @param batchTimeout the longest one batch may take, commit included: the database's statement timeout and the
 *                     driver's network timeout of the batch's connection; a batch running longer marks the whole
 *                     database unhealthy (see {@link OutageGuard})
 * @param drainers     threads running batches; one coupon uses at most one at a time (and one pool connection)
 * @param retryAfter   the {@code Retry-After} given with every 503 of the engine
 * @param outagePause  after a failure, the pause before the next probe (of the database, in the background, while
 *                     every request is refused; of a contended coupon's row, by its next batch, while that coupon
 *                     is refused); doubles on each further failure up to {@code maxOutagePause}, resets on success
 * @param lockTimeout  the longest a batch waits for its coupon's row held by someone else (the database's lock
 *                     timeout); then only that coupon is refused (COUPON_BUSY). Must be below {@code batchTimeout}
 *                     so that a lock wait is never mistaken for a hung database; default half of it
 * @param maxPlacesPerUser places one user may hold at once in a coupon's lane: the per-user limit if it is
 *                     lower, this when the coupon has no limit; further requests get 429 ALREADY_IN_LINE
 * @param laneIdleTimeout a coupon's lane, and what it knows without the database (sold out, ended), is dropped
 *                     after this long without an admitted request, so lanes exist only for coupons in use
 */
@ConfigurationProperties("coupon.issuance.group-commit")
public record GroupCommitProperties(@DefaultValue("500") int maxBatch,
                                    @DefaultValue("5000") int maxQueue,
                                    @DefaultValue("3s") Duration waitTimeout,
                                    @DefaultValue("2s") Duration batchTimeout,
                                    @DefaultValue("4") int drainers,
                                    @DefaultValue("1s") Duration retryAfter,
                                    @DefaultValue("200ms") Duration outagePause,
                                    @DefaultValue("2s") Duration maxOutagePause,
                                    @DefaultValue("64") int maxPlacesPerUser,
                                    @DefaultValue("30s") Duration laneIdleTimeout,
                                    Duration lockTimeout) {

    public GroupCommitProperties {
        if (lockTimeout == null) {
            lockTimeout = batchTimeout.dividedBy(2);
        }
        if (lockTimeout.compareTo(batchTimeout) >= 0) {
            throw new IllegalArgumentException("coupon.issuance.group-commit.lock-timeout (" + lockTimeout
                    + ") must be shorter than batch-timeout (" + batchTimeout + ")");
        }
    }
}
