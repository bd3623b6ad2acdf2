package com.couponrush.issuance.groupcommit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine knows of the database's health, and the time limit of every batch in flight.
 * <ul>
 *   <li>Instance-wide: a database that cannot be reached or hangs refuses every coupon at admission until a
 *       background probe finds it answering again (so recovery needs no traffic: readiness may have taken the
 *       instance out of the load balancer).</li>
 *   <li>Per coupon: a row held elsewhere past the lock timeout refuses that coupon only, for a pause.</li>
 *   <li>Per batch: one that runs past {@code hangAfter} (longer than any lock wait may last) means the database
 *       hangs, so the instance-wide guard opens before any driver timeout fires; one that runs past
 *       {@code batchTimeout} has its connection aborted, which ends the batch with an error its runner answers,
 *       so no batch, and no caller in it, outlives the batch timeout by more than a timer period.</li>
 * </ul>
 */
final class DatabaseWatch {

    private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);

    private final OutageGuard outage;
    private final Duration outagePause;
    private final Duration maxOutagePause;
    private final Map<Long, OutageGuard> contendedCoupons = new ConcurrentHashMap<>();
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final long hangAfterNanos;
    private final long batchTimeoutNanos;
    private final Executor aborter;

    /**
     * One batch: when it began and, once it has one, its connection and when it got it. Only the time since the
     * connection counts towards a hang: waiting for the pool is bounded by the pool's own timeout and says nothing
     * about the database.
     */
    static final class InFlight {
        final long couponId;
        final long startedNanos;
        private volatile Connection connection;
        volatile long connectedNanos;
        private volatile boolean hangReported;
        private volatile boolean aborted;

        private InFlight(long couponId, long startedNanos) {
            this.couponId = couponId;
            this.startedNanos = startedNanos;
        }

        void connected(Connection connection) {
            this.connectedNanos = System.nanoTime();
            this.connection = connection;
        }

        boolean aborted() {
            return aborted;
        }
    }

    DatabaseWatch(GroupCommitProperties properties, Executor aborter) {
        this.outagePause = properties.outagePause();
        this.maxOutagePause = properties.maxOutagePause();
        this.outage = new OutageGuard(outagePause, maxOutagePause);
        this.hangAfterNanos = properties.hangAfter().toNanos();
        this.batchTimeoutNanos = properties.batchTimeout().toNanos();
        this.aborter = aborter;
    }

    /** False while the database is known to be down or hanging: every coupon is refused, readiness is DOWN. */
    boolean reachable() {
        return !outage.failing();
    }

    /** The coupon's row was found held past the lock timeout a moment ago: its requests are refused for a pause. */
    boolean contended(long couponId) {
        OutageGuard contended = contendedCoupons.get(couponId);
        return contended != null && contended.paused();
    }

    InFlight batchStarted(long couponId) {
        InFlight batch = new InFlight(couponId, System.nanoTime());
        inFlight.add(batch);
        return batch;
    }

    void batchEnded(InFlight batch) {
        inFlight.remove(batch);
    }

    void batchSucceeded(long couponId) {
        outage.succeeded();
        contendedCoupons.remove(couponId);
    }

    void rowContended(long couponId) {
        contendedCoupons.computeIfAbsent(couponId, id -> new OutageGuard(outagePause, maxOutagePause)).failed();
    }

    void unreachable() {
        outage.failed();
    }

    /** A coupon's lane retired: its contention is history. */
    void forget(long couponId) {
        contendedCoupons.remove(couponId);
    }

    /** Batches in the database for longer than {@code nanos}: those waiting on a row or on the database. */
    int waitingLongerThan(long nowNanos, long nanos) {
        int waiting = 0;
        for (InFlight batch : inFlight) {
            if (batch.connection != null && nowNanos - batch.connectedNanos > nanos) {
                waiting++;
            }
        }
        return waiting;
    }

    /** Batches that hold a connection: those waiting for the pool are not yet in the database. */
    int batchesInTheDatabase() {
        int connected = 0;
        for (InFlight batch : inFlight) {
            if (batch.connection != null) {
                connected++;
            }
        }
        return connected;
    }

    /**
     * The timer's duty: reports hangs, aborts batches past their timeout, and while the database is down
     * claims one probe per pause and hands it to {@code probeRunner} (never run here: this thread keeps deadlines).
     */
    void watch(long nowNanos, Executor probeRunner, Runnable probe) {
        for (InFlight batch : inFlight) {
            if (batch.connection == null) {
                continue;
            }
            long running = nowNanos - batch.connectedNanos;
            if (running > hangAfterNanos && !batch.hangReported) {
                batch.hangReported = true;
                log.warn("group-commit batch for coupon {} has run {} ms: the database is not answering",
                        batch.couponId, running / 1_000_000);
                outage.failed();
            }
            if (running > batchTimeoutNanos && !batch.aborted) {
                batch.aborted = true;
                abort(batch);
            }
        }
        if (outage.claimProbe()) {
            probeRunner.execute(() -> {
                try {
                    probe.run();
                    log.info("group-commit: the database answers again");
                    outage.succeeded();
                } catch (RuntimeException stillDown) {
                    outage.failed();
                }
            });
        }
    }

    private void abort(InFlight batch) {
        try {
            batch.connection.abort(aborter);
            log.warn("group-commit batch for coupon {} passed the batch timeout: its connection was aborted",
                    batch.couponId);
        } catch (SQLException | RuntimeException e) {
            log.warn("group-commit could not abort the connection of coupon {}'s batch", batch.couponId, e);
        }
    }
}
