package com.couponrush.issuance.groupcommit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/** The engine's own meters, beside the per-outcome {@code coupon.issuance} timer every strategy has. */
final class EngineMeters {

    static final String OUTCOME_UNKNOWN = "coupon.issuance.group-commit.outcome-unknown";

    private final DistributionSummary batchSizes;
    private final Timer batchTimes;
    private final Counter outcomesUnknown;

    private final MeterRegistry meters;

    EngineMeters(MeterRegistry meters) {
        this.meters = meters;
        this.batchSizes = DistributionSummary.builder("coupon.issuance.group-commit.batch.size")
                .description("requests decided per transaction").publishPercentileHistogram().register(meters);
        this.batchTimes = Timer.builder("coupon.issuance.group-commit.batch")
                .description("one batch transaction, lock to commit").register(meters);
        this.outcomesUnknown = Counter.builder(OUTCOME_UNKNOWN)
                .description("requests answered OUTCOME_UNKNOWN: the database stopped answering during their commit")
                .register(meters);
    }

    /** The gauge holds its owner weakly: pass the part that owns the queue, which lives as long as the engine. */
    <T> void gaugeQueue(T owner, ToIntFunction<T> queued) {
        Gauge.builder("coupon.issuance.group-commit.queue", owner, o -> queued.applyAsInt(o))
                .description("requests waiting for a batch, all coupons").register(meters);
    }

    void committed(int size, long startedNanos) {
        batchTimes.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        batchSizes.record(size);
    }

    void outcomesUnknown(int requests) {
        outcomesUnknown.increment(requests);
    }
}
