package com.couponrush.issuance.line;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the waiting line (see docs/line.md).
 *
 * @param period          how often each instance's decider looks for places to decide (it is also woken when a
 *                        place is given) and refreshes what it knows of the open lines
 * @param maxBatch        most places decided in one transaction
 * @param maxJoinBatch    most users given places in one transaction
 * @param maxJoining      most users waiting to be given a place per coupon on one instance; beyond it, 503
 *                        SERVICE_OVERLOADED (a user's further requests meanwhile share the first one's answer)
 * @param joiners         threads giving places; one coupon uses at most one at a time
 * @param transactionTimeout longest one transaction of the line may take (giving places or deciding them)
 * @param rateHalfLife    half-life of the smoothed decision rate behind the estimated wait
 * @param maxKnownPlaces  places whose state an instance keeps to answer reads without the database; beyond it a
 *                        read costs one query
 * @param retryAfter      the {@code Retry-After} of the line's 503s
 * @param maxStreamsPerUser most open streams of places ({@code /line/me/stream}) per user on one instance; beyond
 *                        it, 429 TOO_MANY_STREAMS
 * @param maxStreams      most open streams of places on one instance; beyond it, 503 SERVICE_OVERLOADED
 */
@ConfigurationProperties("coupon.issuance.line")
public record LineProperties(@DefaultValue("50ms") Duration period,
                             @DefaultValue("500") int maxBatch,
                             @DefaultValue("500") int maxJoinBatch,
                             @DefaultValue("20000") int maxJoining,
                             @DefaultValue("2") int joiners,
                             @DefaultValue("2s") Duration transactionTimeout,
                             @DefaultValue("5s") Duration rateHalfLife,
                             @DefaultValue("200000") int maxKnownPlaces,
                             @DefaultValue("1s") Duration retryAfter,
                             @DefaultValue("3") int maxStreamsPerUser,
                             @DefaultValue("10000") int maxStreams) {

    public LineProperties {
        if (maxBatch < 1 || maxJoinBatch < 1 || maxJoining < 1 || joiners < 1 || maxKnownPlaces < 0
                || maxStreamsPerUser < 0 || maxStreams < 0) {
            throw new IllegalArgumentException("coupon.issuance.line.max-batch, max-join-batch, max-joining and"
                    + " joiners must be at least 1, max-known-places, max-streams-per-user and max-streams at"
                    + " least 0");
        }
        if (period.isNegative() || period.isZero() || transactionTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("coupon.issuance.line.period must be positive and"
                    + " transaction-timeout at least 1s");
        }
    }
}
