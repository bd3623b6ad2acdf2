package com.couponrush.issuance.groupcommit;

import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run batches. A lane with requests is drained one batch per turn and then goes to the back of
 * the line, so a hot coupon cannot starve the others. While batches wait on held rows or a slow database, spare
 * threads join ({@link #compensate}), so that the coupons that are not waiting keep their drainers.
 */
final class Drainers {

    private static final Logger log = LoggerFactory.getLogger(Drainers.class);

    /** What runs one batch of a lane and decides its answers ({@link BatchRunner}). */
    interface Batches {
        Answers run(CouponLane lane, List<Waiter> batch);
    }

    private final ThreadPoolExecutor executor;
    private final Batches runner;
    private final int drainers;
    private final int spare;
    private final int maxBatch;
    private final long retryAfterSeconds;

    Drainers(GroupCommitProperties properties, Batches runner) {
        this.runner = runner;
        this.drainers = properties.drainers();
        this.spare = properties.spareDrainers();
        this.maxBatch = properties.maxBatch();
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(drainers, drainers + spare, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "group-commit-drainer-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    void schedule(CouponLane lane) {
        try {
            executor.execute(() -> drain(lane));
        } catch (RejectedExecutionException shuttingDown) {
            // admitted just as the drainers stopped: never decided, so come back; and leave the lane not draining
            do {
                failAll(lane.takeBatch(Integer.MAX_VALUE), shuttingDown());
            } while (lane.finishDraining());
        }
    }

    /** Work that must not run on the timer's thread, such as a probe of the database. */
    Executor background() {
        return executor;
    }

    /** Keeps one thread for each batch waiting beyond the others, up to the spare threads. */
    void compensate(int waitingBatches) {
        int wanted = drainers + Math.min(waitingBatches, spare);
        if (executor.getCorePoolSize() != wanted) {
            executor.setCorePoolSize(wanted);
        }
    }

    /**
     * Runs one batch of the lane, lets the lane go (to another drainer, if requests arrived meanwhile), then hands
     * out the batch's answers: the next batch does not wait for them ({@link Answers}).
     */
    private void drain(CouponLane lane) {
        List<Waiter> batch = List.of();
        Answers answers = null;
        try {
            batch = lane.takeBatch(maxBatch);
            if (!batch.isEmpty()) {
                answers = runner.run(lane, batch);
            }
        } catch (RuntimeException | Error bug) {
            failUnanswered(lane, batch, bug);
        } finally {
            if (lane.finishDraining()) {
                schedule(lane);
            }
        }
        if (answers != null) {
            try {
                answers.give();
            } catch (RuntimeException | Error bug) {
                failUnanswered(lane, batch, bug);
            }
        }
    }

    private static void failUnanswered(CouponLane lane, List<Waiter> batch, Throwable bug) {
        log.error("group-commit drain of coupon {} failed unexpectedly", lane.couponId, bug);
        for (Waiter waiter : batch) {
            if (!waiter.answered()) {
                waiter.fail(bug instanceof RuntimeException runtime ? runtime : new IllegalStateException(bug));
            }
        }
    }

    /** Stops taking batches; those running finish within the batch timeout, which this waits for (twice over). */
    void shutdown(long waitMillis) {
        executor.shutdown();
        try {
            executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RetryableApiException shuttingDown() {
        return new RetryableApiException(ErrorCode.SHUTTING_DOWN, retryAfterSeconds);
    }

    private static void failAll(List<Waiter> waiters, RuntimeException answer) {
        waiters.forEach(waiter -> waiter.fail(answer));
    }
}
