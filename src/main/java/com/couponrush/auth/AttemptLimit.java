package com.couponrush.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code attempts} per key within a window: one token bucket per key (Bucket4j), refilled in full
 * once per window, in a size-bounded cache (Caffeine). A key untouched for a whole window has a full bucket
 * again, so forgetting it then loses nothing; beyond {@code maxKeys} the least used keys are forgotten.
 */
final class AttemptLimit {

    private final Bandwidth bandwidth;
    private final Cache<String, Bucket> buckets;

    private final TimeMeter time;

    /** {@code clock} is the application's: tests move it forward instead of waiting out a window. */
    AttemptLimit(int attempts, Duration window, int maxKeys, Clock clock) {
        if (attempts < 1 || window.isNegative() || window.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("a limit needs attempts >= 1, a positive window and maxKeys >= 1");
        }
        this.bandwidth = Bandwidth.builder().capacity(attempts).refillIntervally(attempts, window).build();
        this.time = new ClockTime(clock);
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(window)
                .ticker(time::currentTimeNanos).build();
    }

    /** Takes one attempt; when none is left, the seconds until the next one (at least 1). */
    OptionalLong take(String key) {
        ConsumptionProbe probe = buckets.get(key, unused -> Bucket.builder().addLimit(bandwidth)
                        .withCustomTimePrecision(time).build())
                .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        long roundedUp = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999);
        return OptionalLong.of(Math.max(1, roundedUp));
    }

    /** Gives back an attempt taken for something that turned out not to count (a correct password). */
    void giveBack(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    /** Starts the key afresh: its failures are forgiven. */
    void forget(String key) {
        buckets.invalidate(key);
    }

    long trackedKeys() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private record ClockTime(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
