package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssuanceProperties;
import com.couponrush.issuance.IssuanceStrategy;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.groupcommit.BatchDecider.Decision;
import com.couponrush.issuance.groupcommit.BatchDecider.Issue;
import com.couponrush.issuance.groupcommit.BatchDecider.KeyOfUser;
import com.couponrush.issuance.groupcommit.BatchDecider.Refuse;
import com.couponrush.issuance.groupcommit.BatchDecider.Replay;
import com.couponrush.issuance.groupcommit.BatchDecider.Request;
import com.couponrush.issuance.groupcommit.BatchDecider.SameAs;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuanceRules;
import com.couponrush.issuance.ledger.RecordedIssue;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Group commit, the default strategy: requests for a coupon queue while the previous batch of that coupon
 * is in its transaction; the next batch is then decided in one short transaction (lock the coupon row once,
 * read held counts and idempotency keys for the whole batch, insert all winners in one statement, move the
 * counter once, commit). Only after the commit does anyone hear "issued"; a failed or unknown commit is a
 * 503 for the whole batch. The row lock is taken once per batch instead of once per request, and the
 * database remains the only judge across instances. A fault stays where it happens: a contended coupon row
 * refuses that coupon only; only a database that cannot be reached or hangs refuses every coupon, until a
 * background probe finds it answering again. See docs/engine.md.
 *
 * <p>An idempotency key joins the line like any request; the batch resolves keys already on record under its
 * lock. While a keyed request is in line here, the same key for the same coupon shares its answer and for
 * another coupon is refused (IDEMPOTENCY_KEY_REUSED), so two batches never race to insert one key.
 *
 * <p>On shutdown (a phase before the web server's graceful shutdown) it stops admitting with 503 + Retry-After,
 * lets the drainers answer everyone already in line, then stops its threads.
 */
@Component
public class GroupCommitIssuance implements IssuanceStrategy, SmartLifecycle {

    public static final String NAME = "group-commit";
    private static final Logger log = LoggerFactory.getLogger(GroupCommitIssuance.class);
    private static final Duration MIN_WATCHDOG_PERIOD = Duration.ofMillis(10);
    private static final Duration MAX_WATCHDOG_PERIOD = Duration.ofMillis(100);

    private final IssuanceLedger ledger;
    private final BatchLedger batches;
    private final IssuanceRules rules;
    private final GroupCommitProperties properties;
    private final BatchTransactions transactions;
    private final Map<Long, CouponLane> lanes = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor drainers;
    private final ScheduledExecutorService watchdog;
    private final long waitTimeoutNanos;
    private final OutageGuard outage;
    private final Map<Long, OutageGuard> contendedCoupons = new ConcurrentHashMap<>();
    private final Map<CouponLane, Long> batchesInFlight = new ConcurrentHashMap<>();
    private final long batchTimeoutNanos;
    private final long retryAfterSeconds;
    private final Duration refresh;
    private final DistributionSummary batchSizes;
    private final Timer batchTimes;
    // One entry per keyed request queued or in a batch on this instance: bounded like the lanes themselves.
    private final Map<KeyOfUser, Waiter> keysInLine = new ConcurrentHashMap<>();
    private final long laneIdleNanos;
    private volatile boolean admitting = true;
    private volatile boolean running;

    GroupCommitIssuance(IssuanceLedger ledger, BatchLedger batches, IssuanceRules rules,
                        GroupCommitProperties properties, IssuanceProperties issuance, DataSource dataSource,
                        MeterRegistry meters) {
        this.ledger = ledger;
        this.batches = batches;
        this.rules = rules;
        this.properties = properties;
        this.refresh = issuance.refresh();
        this.transactions = new BatchTransactions(dataSource, properties.lockTimeout(), properties.batchTimeout());
        this.batchTimeoutNanos = properties.batchTimeout().toNanos();
        this.outage = new OutageGuard(properties.outagePause(), properties.maxOutagePause());
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
        AtomicInteger threads = new AtomicInteger();
        this.drainers = new ThreadPoolExecutor(properties.drainers(), properties.drainers(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "group-commit-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.waitTimeoutNanos = properties.waitTimeout().toNanos();
        this.laneIdleNanos = properties.laneIdleTimeout().toNanos();
        // Waiters park without a timer (see Waiter.await); this one thread keeps their deadlines instead.
        this.watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "group-commit-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long period = watchdogPeriod(properties.waitTimeout()).toNanos();
        this.watchdog.scheduleWithFixedDelay(this::keepDeadlinesAndDropIdleLanes, period, period,
                TimeUnit.NANOSECONDS);
        this.batchSizes = DistributionSummary.builder("coupon.issuance.group-commit.batch.size")
                .description("requests decided per transaction").publishPercentileHistogram()
                .register(meters);
        this.batchTimes = Timer.builder("coupon.issuance.group-commit.batch")
                .description("one batch transaction, lock to commit").register(meters);
        Gauge.builder("coupon.issuance.group-commit.queue", lanes,
                        all -> all.values().stream().mapToInt(CouponLane::depth).sum())
                .description("requests waiting for a batch, all coupons").register(meters);
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
    public IssuedCoupon issue(IssueCommand command) {
        return admit(command).await(retryAfterSeconds);
    }

    @Override
    public boolean answersAsynchronously() {
        return true;
    }

    /** Queues the request and returns at once: no thread waits for the batch (see docs/engine.md, step 4). */
    @Override
    public CompletableFuture<IssuedCoupon> issueAsync(IssueCommand command) {
        try {
            return admit(command).answer();
        } catch (RuntimeException refusal) {
            return CompletableFuture.failedFuture(refusal);
        }
    }

    /**
     * Admits the request, or refuses it at once (shutting down, known outcome, outage, full queue, key reused);
     * returns the waiter that carries its answer: its own when queued, another's when it follows one.
     */
    private Waiter admit(IssueCommand command) {
        if (!admitting) {
            // shutting down: never decided, so the client may come back (to this instance's successor)
            throw overloaded();
        }
        Waiter waiter = new Waiter(command, System.nanoTime() + waitTimeoutNanos);
        KeyOfUser key = command.idempotencyKey() == null ? null
                : new KeyOfUser(command.userId(), command.idempotencyKey());
        if (key != null) {
            Waiter sameKey = keysInLine.putIfAbsent(key, waiter);
            if (sameKey != null) {
                if (sameKey.command.couponId() != command.couponId()) {
                    throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED);
                }
                return sameKey;
            }
            waiter.beforeAnswer(() -> keysInLine.remove(key, waiter));
        }
        Waiter answering;
        try {
            answering = enqueue(waiter);
        } catch (RuntimeException refused) {
            // requests that joined this one by its key wait on it (without a deadline of their own): answer them
            waiter.fail(refused);
            throw refused;
        }
        if (answering != waiter) {
            waiter.answerAs(answering);
        }
        return answering;
    }

    /** Puts the request in its coupon's lane; returns the waiter that will carry its answer (its own if queued). */
    private Waiter enqueue(Waiter waiter) {
        IssueCommand command = waiter.command;
        while (true) {
            CouponLane lane = lanes.computeIfAbsent(command.couponId(),
                    couponId -> new CouponLane(couponId, properties.maxQueue()));
            ErrorCode known = lane.refusalWithoutDatabase(rules.now());
            if (known != null) {
                return knownAnswer(known, command);
            }
            refuseWhileUnavailable(command.couponId());
            CouponLane.Admission admission = lane.admit(waiter, properties.maxPlacesPerUser());
            switch (admission.kind()) {
                case QUEUED -> {
                    if (lane.startDraining()) {
                        schedule(lane);
                    }
                    return waiter;
                }
                case SHARED -> {
                    return admission.ahead().follower(command, retryAfterSeconds);
                }
                case FULL -> throw overloaded();
                case USER_AT_CAP -> throw new RetryableApiException(ErrorCode.ALREADY_IN_LINE, retryAfterSeconds);
                case RETIRED -> lanes.remove(command.couponId(), lane);
            }
        }
    }

    /**
     * What the lane knows without the database, unless the request is a keyed retry of an earlier success: a
     * sold-out or ended coupon may hold the very row the key names, so that one key is looked up (a point read).
     */
    private Waiter knownAnswer(ErrorCode known, IssueCommand command) {
        Waiter answered = new Waiter(command, 0);
        if (command.idempotencyKey() != null && known != ErrorCode.COUPON_NOT_STARTED) {
            RecordedIssue earlier = batches.recorded(List.of(new KeyOfUser(command.userId(), command.idempotencyKey())))
                    .values().stream().findFirst().orElse(null);
            if (earlier != null && earlier.couponId() == command.couponId()) {
                answered.succeed(new IssuedCoupon(earlier.userCouponId()));
                return answered;
            }
            if (earlier != null) {
                answered.fail(new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED));
                return answered;
            }
        }
        answered.fail(new ApiException(known));
        return answered;
    }

    /** How late past its wait-timeout a caller may be answered: a tenth of it, between 10 and 100 ms. */
    static Duration watchdogPeriod(Duration waitTimeout) {
        Duration tenth = waitTimeout.dividedBy(10);
        return tenth.compareTo(MIN_WATCHDOG_PERIOD) < 0 ? MIN_WATCHDOG_PERIOD
                : tenth.compareTo(MAX_WATCHDOG_PERIOD) > 0 ? MAX_WATCHDOG_PERIOD : tenth;
    }

    private void keepDeadlinesAndDropIdleLanes() {
        try {
            long now = System.nanoTime();
            for (CouponLane lane : lanes.values()) {
                lane.answerOverdue(now, retryAfterSeconds);
                if (lane.retireIfIdle(now, laneIdleNanos)) {
                    lanes.remove(lane.couponId, lane);
                    contendedCoupons.remove(lane.couponId);
                }
            }
            watchTheDatabase(now);
        } catch (RuntimeException unexpected) {
            // a scheduled task that throws is never run again, and then nobody would keep the deadlines
            log.error("group-commit watchdog failed", unexpected);
        }
    }

    /** Requests waiting in this coupon's lane on this instance (tests and diagnostics). */
    int queued(long couponId) {
        CouponLane lane = lanes.get(couponId);
        return lane == null ? 0 : lane.depth();
    }

    /** Lanes, users holding places and keyed requests in line on this instance: what clients can make it keep. */
    RetainedState retained() {
        return new RetainedState(lanes.size(), lanes.values().stream().mapToInt(CouponLane::usersInLine).sum(),
                keysInLine.size());
    }

    record RetainedState(int lanes, int usersInLine, int keysInLine) {
    }

    /** Requests ever accepted for this coupon on this instance, in arrival order (tests and diagnostics). */
    long arrivals(long couponId) {
        CouponLane lane = lanes.get(couponId);
        return lane == null ? 0 : lane.arrivals();
    }

    private void schedule(CouponLane lane) {
        try {
            drainers.execute(() -> drain(lane));
        } catch (RejectedExecutionException shuttingDown) {
            // admitted just as the drainers stopped: never decided, so come back; and leave the lane not draining
            do {
                lane.takeBatch(Integer.MAX_VALUE).forEach(waiter -> waiter.fail(overloaded()));
            } while (lane.finishDraining());
        }
    }

    private void drain(CouponLane lane) {
        try {
            List<Waiter> batch = lane.takeBatch(properties.maxBatch());
            if (!batch.isEmpty()) {
                decide(lane, batch);
            }
        } catch (RuntimeException | Error unexpected) {
            log.error("group-commit drain of coupon {} failed unexpectedly", lane.couponId, unexpected);
        } finally {
            // one batch per turn, then back of the executor's line: a hot coupon cannot starve the others
            if (lane.finishDraining()) {
                schedule(lane);
            } else if (lane.missing() && lane.retireIfIdle(System.nanoTime(), 0)) {
                lanes.remove(lane.couponId, lane);
            }
        }
    }

    private void decide(CouponLane lane, List<Waiter> batch) {
        decide(lane, batch, true);
    }

    private void decide(CouponLane lane, List<Waiter> batch, boolean mayRetryConflict) {
        LocalDateTime now = rules.now();
        ErrorCode known = lane.refusalWithoutDatabase(now);
        // a keyed retry of an earlier success must hear its coupon, which only the batch's key lookup can tell
        if (known != null && noKeys(batch)) {
            batch.forEach(waiter -> waiter.fail(new ApiException(known)));
            return;
        }
        try {
            refuseWhileUnavailable(lane.couponId);
        } catch (RetryableApiException unavailable) {
            batch.forEach(waiter -> waiter.fail(unavailable));
            return;
        }
        Outcome outcome;
        long started = System.nanoTime();
        batchesInFlight.put(lane, started);
        try {
            outcome = transactions.inTransaction(() -> write(lane.couponId, batch));
        } catch (ApiException refusal) {
            batch.forEach(waiter -> waiter.fail(refusal));
            lane.markMissing();
            return;
        } catch (DataIntegrityViolationException conflict) {
            if (mayRetryConflict) {
                // Usually another instance committed one of our keys between our key lookup and our insert:
                // deciding again sees its row, so only that request is refused and the rest commit together.
                decide(lane, batch, false);
            } else {
                isolate(lane, batch, conflict);
            }
            return;
        } catch (RuntimeException failure) {
            failed(lane, batch, failure);
            return;
        } finally {
            batchesInFlight.remove(lane);
        }
        batchTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        batchSizes.record(batch.size());
        outage.succeeded();
        contendedCoupons.remove(lane.couponId);
        lane.learn(outcome.coupon(), outcome.ids().size(), now.plus(refresh));
        answer(batch, outcome);
    }

    /**
     * Nobody may hear "issued" from a failed batch; how far the failure reaches depends on what it says about
     * the database (see {@link BatchFault}).
     */
    private void failed(CouponLane lane, List<Waiter> batch, RuntimeException failure) {
        BatchFault fault = BatchFault.of(failure);
        RetryableApiException answer = storageUnavailable();
        switch (fault) {
            case CONTENDED -> {
                // rolled back by the database, so nothing of it was written: "busy, come back", for this coupon
                contendedCoupons.computeIfAbsent(lane.couponId,
                        id -> new OutageGuard(properties.outagePause(), properties.maxOutagePause())).failed();
                answer = new RetryableApiException(ErrorCode.COUPON_BUSY, retryAfterSeconds);
                log.info("group-commit batch of {} for coupon {} met a contended row: {}", batch.size(),
                        lane.couponId, failure.toString());
            }
            case UNREACHABLE -> {
                outage.failed();
                log.warn("group-commit batch of {} for coupon {} could not reach the database: {}", batch.size(),
                        lane.couponId, failure.toString());
            }
            case FAILED -> log.error("group-commit batch of {} for coupon {} failed", batch.size(), lane.couponId,
                    failure);
        }
        for (Waiter waiter : batch) {
            waiter.fail(answer);
        }
    }

    /** Refuses at once, without the database: every coupon while the database is down, a contended coupon for a pause. */
    private void refuseWhileUnavailable(long couponId) {
        if (outage.failing()) {
            throw storageUnavailable();
        }
        OutageGuard contended = contendedCoupons.get(couponId);
        if (contended != null && contended.paused()) {
            throw new RetryableApiException(ErrorCode.COUPON_BUSY, retryAfterSeconds);
        }
    }

    /**
     * The watchdog's second duty. A batch running past the batch timeout means the database hangs (a lock wait
     * ends earlier, at the lock timeout): every coupon is refused from now on, without waiting for the network
     * timeout to free the drainer. While the database is down, one probe per pause tells when it answers again;
     * it runs on a drainer, never on this thread, which must keep the deadlines.
     */
    private void watchTheDatabase(long now) {
        for (Map.Entry<CouponLane, Long> batch : batchesInFlight.entrySet()) {
            if (now - batch.getValue() > batchTimeoutNanos && batchesInFlight.remove(batch.getKey(), batch.getValue())) {
                log.warn("group-commit batch for coupon {} has run {} ms: the database is not answering",
                        batch.getKey().couponId, (now - batch.getValue()) / 1_000_000);
                outage.failed();
            }
        }
        if (outage.claimProbe()) {
            try {
                drainers.execute(this::probe);
            } catch (RejectedExecutionException shuttingDown) {
                outage.failed();
            }
        }
    }

    private void probe() {
        try {
            transactions.probe();
            log.info("group-commit: the database answers again");
            outage.succeeded();
        } catch (RuntimeException stillDown) {
            outage.failed();
        }
    }

    /** False while the database is known to be down or hanging: readiness reports it. */
    boolean databaseAvailable() {
        return !outage.failing();
    }

    /** Batches now in their transaction on this instance (tests: a hung call must free its drainer). */
    int batchesInFlight() {
        return batchesInFlight.size();
    }

    /**
     * A constraint refused the batch twice: rare (a user row vanished). Deciding each request alone confines
     * the refusal to the request that caused it.
     */
    private void isolate(CouponLane lane, List<Waiter> batch, DataIntegrityViolationException conflict) {
        if (batch.size() == 1) {
            batch.get(0).fail(conflict);
            return;
        }
        for (Waiter waiter : batch) {
            decide(lane, List.of(waiter));
        }
    }

    private record Outcome(CouponSnapshot coupon, List<Decision> decisions, List<Long> ids) {
    }

    private Outcome write(long couponId, List<Waiter> batch) {
        CouponSnapshot coupon = ledger.findForUpdate(couponId).orElseThrow(IssuanceRules::notFound);
        // the time is read under the lock: an operator's close, which reads its time under the same lock,
        // is then either earlier than this batch (which sees it) or later than everything this batch issues
        LocalDateTime now = rules.now();
        List<Request> requests = new ArrayList<>(batch.size());
        Set<Long> users = new LinkedHashSet<>();
        Set<KeyOfUser> keys = new LinkedHashSet<>();
        for (Waiter waiter : batch) {
            IssueCommand command = waiter.command;
            requests.add(new Request(command.userId(), command.idempotencyKey()));
            users.add(command.userId());
            if (command.idempotencyKey() != null) {
                keys.add(new KeyOfUser(command.userId(), command.idempotencyKey()));
            }
        }
        boolean open = coupon.remaining() > 0 && coupon.closedReason(now) == null;
        Map<Long, Integer> held = open && coupon.limitsPerUser() ? batches.heldCounts(couponId, users) : Map.of();
        Map<KeyOfUser, RecordedIssue> recorded = batches.recorded(keys);
        List<Decision> decisions = BatchDecider.decide(coupon, now, requests, held, recorded);
        List<Request> winners = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            if (decisions.get(i) instanceof Issue) {
                winners.add(requests.get(i));
            }
        }
        List<Long> ids = batches.insertAll(couponId, winners, now);
        if (!winners.isEmpty()) {
            ledger.addIssued(couponId, winners.size());
        }
        return new Outcome(coupon, decisions, ids);
    }

    private static void answer(List<Waiter> batch, Outcome outcome) {
        for (int i = 0; i < batch.size(); i++) {
            Decision decision = outcome.decisions().get(i);
            if (decision instanceof SameAs same) {
                decision = outcome.decisions().get(same.requestIndex());
            }
            Waiter waiter = batch.get(i);
            if (decision instanceof Issue issue) {
                waiter.succeed(new IssuedCoupon(outcome.ids().get(issue.slot())));
            } else if (decision instanceof Replay replay) {
                waiter.succeed(new IssuedCoupon(replay.userCouponId()));
            } else if (decision instanceof Refuse refuse) {
                waiter.fail(new ApiException(refuse.reason()));
            }
        }
    }

    private static boolean noKeys(Collection<Waiter> batch) {
        for (Waiter waiter : batch) {
            if (waiter.command.idempotencyKey() != null) {
                return false;
            }
        }
        return true;
    }

    private RetryableApiException storageUnavailable() {
        return new RetryableApiException(ErrorCode.STORAGE_UNAVAILABLE, retryAfterSeconds);
    }

    private RetryableApiException overloaded() {
        return new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, retryAfterSeconds);
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Stopping is for good (the drainers and the watchdog end), so a context pause (Spring's test context cache
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
     * waiter has a deadline (wait-timeout, kept by the watchdog) and every batch a transaction timeout, so the
     * drain ends within their sum; keep spring.lifecycle.timeout-per-shutdown-phase above it.
     */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
    }

    @Override
    public void stop() {
        admitting = false;
        int waiting = lanes.values().stream().mapToInt(CouponLane::depth).sum();
        log.info("group-commit: admitting no more requests; answering the {} queued and any batch in flight",
                waiting);
        long drainedBy = System.nanoTime() + waitTimeoutNanos + properties.batchTimeout().toNanos();
        try {
            while (lanes.values().stream().anyMatch(CouponLane::busy) && System.nanoTime() - drainedBy < 0) {
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
        admitting = false;
        drainers.shutdown();
        try {
            drainers.awaitTermination(properties.batchTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
        // anyone admitted while the drainers stopped: never decided, so come back
        for (CouponLane lane : lanes.values()) {
            lane.takeBatch(Integer.MAX_VALUE).forEach(waiter -> waiter.fail(overloaded()));
        }
    }
}
