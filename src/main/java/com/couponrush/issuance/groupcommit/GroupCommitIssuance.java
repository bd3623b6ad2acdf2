package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssuanceProperties;
import com.couponrush.issuance.IssuanceStrategy;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.ledger.BatchLedger;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.line.LineAtTheCouponLock;
import com.couponrush.issuance.line.PlaceTaker;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit, the default strategy. Requests for a coupon queue while the previous batch of that coupon is in
 * its transaction; the next batch is then decided in one short transaction, so the row lock is taken once per
 * batch instead of once per request, and the database remains the only judge across instances. Its guarantees:
 * <ul>
 *   <li>a 200 only after the commit; a refusal or a 503 only when nothing was written for that request, except
 *       OUTCOME_UNKNOWN, when the database stopped answering while the commit was in flight;</li>
 *   <li>a request still queued at wait-timeout is withdrawn (503, nothing written); one a batch has taken is
 *       answered with that batch's outcome, within the batch timeout;</li>
 *   <li>the request's thread never touches the database;</li>
 *   <li>a fault stays where it happens: a held coupon row refuses that coupon only; a database that cannot be
 *       reached or hangs refuses every coupon, until a background probe finds it answering again.</li>
 * </ul>
 * This class only wires the parts, each owning its own state: {@link Admission} (who is in line),
 * {@link Drainers} (who runs batches), {@link BatchRunner} (running and answering a batch), {@link BatchWriter}
 * (writing it), {@link DatabaseWatch} (the database's health and every batch's time limit) and
 * {@link Deadlines} (the timer). A request goes forward through them: admission, lane, drainer, runner, writer,
 * answer. See docs/engine.md.
 */
@Component
public class GroupCommitIssuance implements IssuanceStrategy, SmartLifecycle {

    public static final String NAME = IssuanceProperties.DEFAULT_STRATEGY;
    private static final Logger log = LoggerFactory.getLogger(GroupCommitIssuance.class);

    private final GroupCommitProperties properties;
    private final Admission admission;
    private final Drainers drainers;
    private final DatabaseWatch database;
    private final UnknownCoupons unknownCoupons;
    private final ExecutorService answering;
    private final ExecutorService aborting;
    private final Deadlines deadlines;
    private final long retryAfterSeconds;
    private volatile boolean running;

    GroupCommitIssuance(IssuanceLedger ledger, BatchLedger batches, GroupCommitProperties properties,
                        IssuanceProperties issuance, DataSource dataSource, MeterRegistry meters, PlaceTaker line,
                        LineAtTheCouponLock placesWaiting, Clock clock) {
        refuseSettingsThatBreakPromises(properties, dataSource);
        this.properties = properties;
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
        this.answering = daemonThreads("group-commit-answers-", 2, 2);
        // a driver's abort may itself wait on the frozen link (a second connection to kill the first): never on
        // the threads that answer; at most one per batch in flight
        this.aborting = daemonThreads("group-commit-abort-", 0, properties.drainers() + properties.spareDrainers());
        this.database = new DatabaseWatch(properties, aborting);
        this.unknownCoupons = new UnknownCoupons(issuance.refresh(), properties.maxUnknownCoupons());
        BatchWriter writer = new BatchWriter(ledger, batches, placesWaiting,
                new BatchTransactions(dataSource, properties.lockTimeout(), properties.batchTimeout()), clock);
        EngineMeters engineMeters = new EngineMeters(meters);
        BatchRunner runner = new BatchRunner(writer, database, unknownCoupons, engineMeters, clock,
                issuance.refresh(), retryAfterSeconds);
        this.drainers = new Drainers(properties, runner);
        this.admission = new Admission(properties, database, unknownCoupons, drainers, line, clock);
        engineMeters.gaugeQueue(admission, Admission::queued);
        Duration period = Deadlines.period(properties.waitTimeout());
        long periodNanos = period.toNanos();
        this.deadlines = new Deadlines(period, List.of(
                this::withdrawOverdue,
                now -> database.watch(now, drainers.background(), writer::probe),
                now -> drainers.compensate(database.waitingLongerThan(now, periodNanos)),
                admission::retireIdleLanes,
                unknownCoupons::forgetExpired));
    }

    /** Withdrawn requests are answered on another thread: the timer's must never run a caller's continuation. */
    private void withdrawOverdue(long nowNanos) {
        List<Waiter> overdue = admission.withdrawOverdue(nowNanos);
        if (!overdue.isEmpty()) {
            RetryableApiException overloaded = new RetryableApiException(ErrorCode.SERVICE_OVERLOADED,
                    retryAfterSeconds);
            answering.execute(() -> overdue.forEach(waiter -> waiter.fail(overloaded)));
        }
    }

    /**
     * Each drainer, the spare ones included, holds one pool connection while its batch runs; with no connection
     * left for anything else, a busy pool would look like a database outage.
     */
    static void refuseSettingsThatBreakPromises(GroupCommitProperties properties, DataSource dataSource) {
        if (dataSource instanceof HikariDataSource pool
                && properties.drainers() + properties.spareDrainers() >= pool.getMaximumPoolSize()) {
            throw new IllegalStateException("coupon.issuance.group-commit.drainers (" + properties.drainers()
                    + ") + coupon.issuance.group-commit.spare-drainers (" + properties.spareDrainers()
                    + ") must be below spring.datasource.hikari.maximum-pool-size (" + pool.getMaximumPoolSize()
                    + ")");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The engine answers keyed retries itself, in the batch, so the service must not read keys first. */
    @Override
    public boolean resolvesIdempotencyKeys() {
        return true;
    }

    @Override
    public boolean answersAsynchronously() {
        return true;
    }

    /** Admits the request and returns at once: no thread waits for the batch. */
    @Override
    public CompletableFuture<IssuedCoupon> issueAsync(IssueCommand command) {
        try {
            return admission.admit(command).answer();
        } catch (RuntimeException refusal) {
            return CompletableFuture.failedFuture(refusal);
        }
    }

    @Override
    public IssuedCoupon issue(IssueCommand command) {
        Waiter waiter = admission.admit(command);
        try {
            return waiter.await(properties.answerBound().toNanos());
        } catch (TimeoutException brokenPromise) {
            log.error("group-commit: no answer for coupon {} within {}", command.couponId(), properties.answerBound());
            throw new RetryableApiException(ErrorCode.OUTCOME_UNKNOWN, retryAfterSeconds);
        }
    }

    /** Requests waiting in this coupon's lane on this instance (tests and diagnostics). */
    int queued(long couponId) {
        CouponLane lane = admission.lane(couponId);
        return lane == null ? 0 : lane.depth();
    }

    /** Requests ever accepted for this coupon on this instance, in arrival order (tests and diagnostics). */
    long arrivals(long couponId) {
        CouponLane lane = admission.lane(couponId);
        return lane == null ? 0 : lane.arrivals();
    }

    /** Lanes, users holding places and keyed requests in line on this instance: what clients can make it keep. */
    RetainedState retained() {
        return admission.retained();
    }

    record RetainedState(int lanes, int usersInLine, int keysInLine) {
    }

    /** False while the database is known to be down or hanging: readiness reports it. */
    boolean databaseAvailable() {
        return database.reachable();
    }

    /** Batches now in their transaction on this instance (tests: a hung call must free its drainer). */
    int batchesInTheDatabase() {
        return database.batchesInTheDatabase();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Stopping is for good (the drainers and the timer end), so a context pause (Spring's test context cache
     * pauses contexts it is not using) must not stop the engine; idle, it holds nothing worth releasing.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops before the web server's graceful shutdown, which then only waits for answers already written. Every
     * request in line is answered within the answer bound, so the drain ends within it; keep
     * spring.lifecycle.timeout-per-shutdown-phase above it.
     */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
    }

    @Override
    public void stop() {
        admission.close();
        log.info("group-commit: admitting no more requests; answering the {} queued and any batch in flight",
                admission.queued());
        long drainedBy = System.nanoTime() + properties.answerBound().toNanos();
        try {
            while (admission.busy() && System.nanoTime() - drainedBy < 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopThreads();
        running = false;
        log.info("group-commit: stopped");
    }

    /** Also on a context that failed before its lifecycle started; harmless after {@link #stop()}. */
    @PreDestroy
    void stopThreads() {
        admission.close();
        drainers.shutdown(properties.batchTimeout().toMillis() * 2);
        deadlines.close();
        admission.refuseEveryoneQueued();
        answering.shutdown();
        aborting.shutdown();
    }

    private static ExecutorService daemonThreads(String prefix, int core, int max) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(core, max, 10, TimeUnit.SECONDS,
                core == max ? new LinkedBlockingQueue<>() : new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, prefix + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        if (core > 0) {
            executor.allowCoreThreadTimeOut(true);
        }
        return executor;
    }
}
