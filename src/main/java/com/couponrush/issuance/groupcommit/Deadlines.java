package com.couponrush.issuance.groupcommit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one timer thread: every period it runs its duties (withdrawing requests past their deadline, the
 * database watch, retiring idle lanes). Waiters park without a timer of their own; this thread keeps their
 * deadlines instead. It must not die and must not block, so a duty that throws, even an {@link Error}, is logged
 * and the next period runs again, and callers' continuations never run here: whatever answers a request is
 * handed to another executor by the duty itself.
 */
final class Deadlines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Deadlines.class);
    private static final Duration MIN_PERIOD = Duration.ofMillis(10);
    private static final Duration MAX_PERIOD = Duration.ofMillis(100);

    /** One duty of a period, given the {@link System#nanoTime()} of the period. */
    interface Duty {
        void run(long nowNanos);
    }

    private final ScheduledExecutorService timer;
    private final List<Duty> duties;

    Deadlines(Duration period, List<Duty> duties) {
        this.duties = List.copyOf(duties);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "group-commit-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = period.toNanos();
        timer.scheduleWithFixedDelay(this::runDuties, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** How late past its wait-timeout a request may be answered: a tenth of it, between 10 and 100 ms. */
    static Duration period(Duration waitTimeout) {
        Duration tenth = waitTimeout.dividedBy(10);
        return tenth.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : tenth;
    }

    private void runDuties() {
        long now = System.nanoTime();
        for (Duty duty : duties) {
            try {
                duty.run(now);
            } catch (Throwable failure) {
                // a scheduled task that throws is never run again, and then nobody would keep the deadlines
                log.error("group-commit timer duty failed; the next period runs it again", failure);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
