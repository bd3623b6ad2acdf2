package com.couponrush.issuance.line;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each instance's decider: one thread that, every period and whenever a place is given, reads every open line
 * (one query), refreshes {@link LineViews} from it, and decides the next batch of each ({@link PlaceDecider}).
 * Deciders of several instances take the same coupon lock, so they decide a line in turn, never twice. A decider
 * that decided a full batch goes again at once. A failure is logged and tried again next period.
 */
final class LineDecider {

    private static final Logger log = LoggerFactory.getLogger(LineDecider.class);

    private final WaitingLineLedger lines;
    private final PlaceDecider decider;
    private final LineViews views;
    private final ScheduledExecutorService thread;
    private final Passed passed;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private volatile ScheduledFuture<?> schedule;

    /** Told after each commit that decided places: the line is decided through {@code decidedThrough}. */
    interface Passed {
        void decidedThrough(long couponId, long decidedThrough);
    }

    LineDecider(WaitingLineLedger lines, PlaceDecider decider, LineViews views, ScheduledExecutorService thread,
                Passed passed) {
        this.lines = lines;
        this.decider = decider;
        this.views = views;
        this.thread = thread;
        this.passed = passed;
    }

    /** Starts deciding; after a {@link #stop} it may start again (a context's lifecycle can be restarted). */
    void start(long periodNanos) {
        schedule = thread.scheduleWithFixedDelay(this::decideSafely, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    void stop() {
        ScheduledFuture<?> running = schedule;
        schedule = null;
        if (running != null) {
            running.cancel(false);
        }
    }

    /** Decide soon rather than at the next period: a place was given. At most one nudge waits at a time. */
    void nudge() {
        if (schedule != null && nudged.compareAndSet(false, true) && !thread.isShutdown()) {
            thread.execute(() -> {
                nudged.set(false);
                decideSafely();
            });
        }
    }

    private void decideSafely() {
        try {
            if (decideOnce()) {
                nudge();
            }
        } catch (RuntimeException | Error e) {
            log.warn("the waiting line's decider failed; it tries again next period", e);
        }
    }

    /** @return whether a line still has places to decide after a batch that decided some */
    boolean decideOnce() {
        List<LineRow> open = lines.undecided();
        long now = System.nanoTime();
        views.refresh(open, now);
        boolean more = false;
        for (LineRow row : open) {
            try {
                PlaceDecider.Decided decided = decider.decideNext(row.couponId());
                if (decided != null) {
                    views.saw(decided.line(), System.nanoTime());
                    if (decided.count() > 0) {
                        // which instance decided which places: several deciders take a line in turn
                        log.debug("decided {} places of coupon {} through place {}", decided.count(),
                                row.couponId(), decided.line().decidedThrough());
                        passed.decidedThrough(row.couponId(), decided.line().decidedThrough());
                    }
                    more |= decided.count() > 0 && decided.line().waiting() > 0;
                }
            } catch (RuntimeException e) {
                log.warn("deciding the waiting line of coupon {} failed; tried again next period: {}",
                        row.couponId(), e.toString());
            }
        }
        return more;
    }
}
