package com.couponrush.issuance.groupcommit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small circuit breaker: after a failure, callers are refused at once instead of each waiting for the same
 * failure. The pause doubles while failures continue and resets on the first success. Whoever owns the guard
 * decides how it is probed again: the engine's instance-wide guard by a background probe
 * ({@link #claimProbe}), so that recovery needs no traffic (readiness may have taken the instance out of the
 * load balancer); a coupon's guard by the next batch after the pause.
 */
final class OutageGuard {

    private final long firstPauseNanos;
    private final long maxPauseNanos;
    private final AtomicBoolean probing = new AtomicBoolean();
    private long pauseNanos;
    private volatile long pauseEndsNanos;
    private volatile boolean failing;

    OutageGuard(Duration firstPause, Duration maxPause) {
        this.firstPauseNanos = firstPause.toNanos();
        this.maxPauseNanos = Math.max(maxPause.toNanos(), firstPauseNanos);
        this.pauseNanos = firstPauseNanos;
    }

    /** Failed, and no success since: the instance-wide guard refuses every request in this state. */
    boolean failing() {
        return failing;
    }

    /** Failing and still inside the pause that followed the last failure. */
    boolean paused() {
        return failing && System.nanoTime() - pauseEndsNanos < 0;
    }

    /** True for one caller once the pause is over: it must probe, then report {@link #failed} or {@link #succeeded}. */
    boolean claimProbe() {
        return failing && !paused() && probing.compareAndSet(false, true);
    }

    /**
     * Opens the guard, or after a failed probe reopens it for a longer pause. Failures reported during a pause
     * belong to the same incident (several batches were in flight when the database went away) and change
     * nothing.
     */
    synchronized void failed() {
        if (paused()) {
            return;
        }
        pauseEndsNanos = System.nanoTime() + pauseNanos;
        pauseNanos = Math.min(pauseNanos * 2, maxPauseNanos);
        failing = true;
        probing.set(false);
    }

    void succeeded() {
        if (failing) {
            synchronized (this) {
                failing = false;
                pauseNanos = firstPauseNanos;
                probing.set(false);
            }
        }
    }
}
