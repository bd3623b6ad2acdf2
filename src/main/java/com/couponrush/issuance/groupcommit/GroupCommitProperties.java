package com.couponrush.issuance.groupcommit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the {@code group-commit} engine (see docs/engine.md). Settings that could not keep the engine's
 * promises (an answer only once a batch's outcome is known, and within a bound) are refused at start-up.
 *
 * @param maxBatch     most requests decided in one transaction
 * @param maxQueue     most requests waiting per coupon on one instance; beyond it, 503 SERVICE_OVERLOADED at once
 * @param waitTimeout  longest a request waits for a batch to take it; then 503 SERVICE_OVERLOADED, nothing written.
 *                     Once taken, it is answered with its batch's outcome, within {@code batchTimeout}
 * @param batchTimeout the longest one batch may take, commit included: the database's statement timeout, and the
 *                     point at which the engine aborts the batch's connection
 * @param drainers     threads running batches; one coupon uses at most one at a time (and one pool connection)
 * @param spareDrainers threads added while batches wait on held rows or a slow database, so that other coupons
 *                     keep their drainers; {@code drainers + spareDrainers} must stay below the pool's size
 * @param retryAfter   the {@code Retry-After} given with every 503 of the engine
 * @param outagePause  after a failure, the pause before the next probe (of the database, in the background, while
 *                     every request is refused; of a contended coupon's row, by its next batch, while that coupon
 *                     is refused); doubles on each further failure up to {@code maxOutagePause}, resets on success
 * @param lockTimeout  the longest a batch waits for its coupon's row held by someone else (the database's lock
 *                     timeout); then only that coupon is refused (COUPON_BUSY). Default a third of batchTimeout
 * @param hangAfter    a batch running this long means the database hangs (every coupon is refused until a probe
 *                     answers); must lie between lockTimeout and batchTimeout. Default halfway between them
 * @param maxPlacesPerUser places one user may hold at once in a coupon's lane when the coupon's per-user limit is
 *                     higher or absent; further requests get 429 ALREADY_IN_LINE
 * @param laneIdleTimeout a coupon's lane, and what it knows without the database (sold out, ended), is dropped
 *                     after this long without an admitted request, so lanes exist only for coupons in use
 * @param maxUnknownCoupons coupon ids found not to exist that are remembered (each for coupon.issuance.refresh) so
 *                     that they are answered without the database
 */
@ConfigurationProperties("coupon.issuance.group-commit")
public record GroupCommitProperties(@DefaultValue("500") int maxBatch,
                                    @DefaultValue("5000") int maxQueue,
                                    @DefaultValue("3s") Duration waitTimeout,
                                    @DefaultValue("3s") Duration batchTimeout,
                                    @DefaultValue("4") int drainers,
                                    @DefaultValue("8") int spareDrainers,
                                    @DefaultValue("1s") Duration retryAfter,
                                    @DefaultValue("200ms") Duration outagePause,
                                    @DefaultValue("2s") Duration maxOutagePause,
                                    @DefaultValue("64") int maxPlacesPerUser,
                                    @DefaultValue("30s") Duration laneIdleTimeout,
                                    @DefaultValue("10000") int maxUnknownCoupons,
                                    Duration lockTimeout,
                                    Duration hangAfter) {

    private static final String PREFIX = "coupon.issuance.group-commit.";

    public GroupCommitProperties {
        if (lockTimeout == null) {
            lockTimeout = batchTimeout.dividedBy(3);
        }
        if (hangAfter == null) {
            hangAfter = lockTimeout.plus(batchTimeout).dividedBy(2);
        }
        if (lockTimeout.compareTo(batchTimeout) >= 0) {
            throw new IllegalArgumentException(PREFIX + "lock-timeout (" + lockTimeout + ") must be shorter than "
                    + PREFIX + "batch-timeout (" + batchTimeout + "): a lock wait would look like a hung database");
        }
        if (hangAfter.compareTo(lockTimeout) <= 0 || hangAfter.compareTo(batchTimeout) >= 0) {
            throw new IllegalArgumentException(PREFIX + "hang-after (" + hangAfter + ") must lie between "
                    + PREFIX + "lock-timeout (" + lockTimeout + ") and " + PREFIX + "batch-timeout (" + batchTimeout
                    + ")");
        }
        if (drainers < 1 || spareDrainers < 0 || maxBatch < 1 || maxQueue < 1 || maxPlacesPerUser < 1) {
            throw new IllegalArgumentException(PREFIX + "drainers, max-batch, max-queue and max-places-per-user must"
                    + " be at least 1, spare-drainers at least 0");
        }
    }

    /**
     * The longest any request waits for its answer: its wait for a batch, then the batch, which the timer cuts
     * at the batch timeout (it notices within one of its periods, at most a tenth of a second late), plus a
     * second for the network and scheduling.
     */
    public Duration answerBound() {
        return waitTimeout.plus(batchTimeout).plusSeconds(1);
    }
}
