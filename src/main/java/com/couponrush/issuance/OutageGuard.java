package com.couponrush.issuance;

import java.time.Duration;

/**
 * A small circuit breaker in front of the database: after a failed batch, requests are refused at once
 * for a pause that doubles while failures continue, so a dead database is probed a few times a second
 * instead of being hammered by every queued request; the first batch that commits closes it again.
 */
final class OutageGuard {

    private final long firstPauseNanos;
    private final long maxPauseNanos;
    private long pauseNanos;
    private volatile long refuseUntilNanos;
    private volatile boolean failing;

    OutageGuard(Duration firstPause, Duration maxPause) {
        this.firstPauseNanos = firstPause.toNanos();
        this.maxPauseNanos = Math.max(maxPause.toNanos(), firstPauseNanos);
        this.pauseNanos = firstPauseNanos;
    }

    boolean refusing() {
        return failing && System.nanoTime() - refuseUntilNanos < 0;
    }

    synchronized void failed() {
        refuseUntilNanos = System.nanoTime() + pauseNanos;
        pauseNanos = Math.min(pauseNanos * 2, maxPauseNanos);
        failing = true;
    }

    void succeeded() {
        if (failing) {
            synchronized (this) {
                failing = false;
                pauseNanos = firstPauseNanos;
            }
        }
    }
}
