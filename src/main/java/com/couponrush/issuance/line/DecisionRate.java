package com.couponrush.issuance.line;

/**
 * Places decided per second in one line, smoothed (an exponentially weighted moving average with a half-life).
 * Samples are taken over at least {@link #MIN_SAMPLE_NANOS}, because places are decided in batches and a shorter
 * window sees either a whole batch or nothing. Not thread-safe: one decider thread updates it.
 */
final class DecisionRate {

    static final long MIN_SAMPLE_NANOS = 1_000_000_000L;

    private final double halfLifeSeconds;
    private long sampleStartNanos;
    private long sampleStartDecided;
    private double perSecond = Double.NaN;

    DecisionRate(double halfLifeSeconds, long nowNanos, long decidedThrough) {
        this.halfLifeSeconds = halfLifeSeconds;
        this.sampleStartNanos = nowNanos;
        this.sampleStartDecided = decidedThrough;
    }

    void observe(long nowNanos, long decidedThrough) {
        long elapsed = nowNanos - sampleStartNanos;
        if (elapsed < MIN_SAMPLE_NANOS) {
            return;
        }
        double seconds = elapsed / 1e9;
        double sample = Math.max(0, decidedThrough - sampleStartDecided) / seconds;
        if (Double.isNaN(perSecond)) {
            perSecond = sample;
        } else {
            double weight = 1 - Math.pow(0.5, seconds / halfLifeSeconds);
            perSecond += weight * (sample - perSecond);
        }
        sampleStartNanos = nowNanos;
        sampleStartDecided = decidedThrough;
    }

    /** Places per second; NaN before the first full sample. */
    double perSecond() {
        return perSecond;
    }
}
