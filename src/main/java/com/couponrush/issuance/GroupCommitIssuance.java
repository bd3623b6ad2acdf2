package com.couponrush.issuance;

import com.couponrush.issuance.BatchDecider.Decision;
import com.couponrush.issuance.BatchDecider.Issue;
import com.couponrush.issuance.BatchDecider.KeyOfUser;
import com.couponrush.issuance.BatchDecider.Refuse;
import com.couponrush.issuance.BatchDecider.Replay;
import com.couponrush.issuance.BatchDecider.Request;
import com.couponrush.issuance.BatchDecider.SameAs;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit, the default strategy: requests for a coupon queue while the previous batch of that coupon
 * is in its transaction; the next batch is then decided in one short transaction (lock the coupon row once,
 * read held counts and idempotency keys for the whole batch, insert all winners in one statement, move the
 * counter once, commit). Only after the commit does anyone hear "issued"; a failed or unknown commit is a
 * 503 for the whole batch. The row lock is taken once per batch instead of once per request, and the
 * database remains the only judge across instances. See docs/engine.md.
 */
@Component
public class GroupCommitIssuance implements IssuanceStrategy {

    static final String NAME = "group-commit";
    private static final Logger log = LoggerFactory.getLogger(GroupCommitIssuance.class);
    private static final Duration MIN_WATCHDOG_PERIOD = Duration.ofMillis(10);
    private static final Duration MAX_WATCHDOG_PERIOD = Duration.ofMillis(100);

    private final IssuanceLedger ledger;
    private final BatchLedger batches;
    private final IssuanceRules rules;
    private final GroupCommitProperties properties;
    private final TransactionTemplate transactions;
    private final Map<Long, CouponLane> lanes = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor drainers;
    private final ScheduledExecutorService watchdog;
    private final long waitTimeoutNanos;
    private final OutageGuard outage;
    private final long retryAfterSeconds;
    private final Duration refresh;
    private final DistributionSummary batchSizes;
    private final Timer batchTimes;

    GroupCommitIssuance(IssuanceLedger ledger, BatchLedger batches, IssuanceRules rules,
                        GroupCommitProperties properties, IssuanceProperties issuance, DataSource dataSource,
                        MeterRegistry meters) {
        this.ledger = ledger;
        this.batches = batches;
        this.rules = rules;
        this.properties = properties;
        this.refresh = issuance.refresh();
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.transactions.setTimeout((int) Math.max(1, properties.batchTimeout().toSeconds()));
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
        // Waiters park without a timer (see Waiter.await); this one thread keeps their deadlines instead.
        this.watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "group-commit-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long period = watchdogPeriod(properties.waitTimeout()).toNanos();
        this.watchdog.scheduleWithFixedDelay(this::answerOverdue, period, period, TimeUnit.NANOSECONDS);
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

    @Override
    public IssuedCoupon issue(IssueCommand command) {
        CouponLane lane = lanes.computeIfAbsent(command.couponId(),
                couponId -> new CouponLane(couponId, properties.maxQueue()));
        ErrorCode known = lane.refusalWithoutDatabase(rules.now());
        if (known != null) {
            throw new ApiException(known);
        }
        if (outage.refusing()) {
            throw storageUnavailable();
        }
        Waiter waiter = new Waiter(command, System.nanoTime() + waitTimeoutNanos);
        if (!lane.offer(waiter)) {
            throw new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, retryAfterSeconds);
        }
        if (lane.startDraining()) {
            schedule(lane);
        }
        return waiter.await(retryAfterSeconds);
    }

    /** How late past its wait-timeout a caller may be answered: a tenth of it, between 10 and 100 ms. */
    static Duration watchdogPeriod(Duration waitTimeout) {
        Duration tenth = waitTimeout.dividedBy(10);
        return tenth.compareTo(MIN_WATCHDOG_PERIOD) < 0 ? MIN_WATCHDOG_PERIOD
                : tenth.compareTo(MAX_WATCHDOG_PERIOD) > 0 ? MAX_WATCHDOG_PERIOD : tenth;
    }

    private void answerOverdue() {
        try {
            long now = System.nanoTime();
            for (CouponLane lane : lanes.values()) {
                lane.answerOverdue(now, retryAfterSeconds);
            }
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

    /** Requests ever accepted for this coupon on this instance, in arrival order (tests and diagnostics). */
    long arrivals(long couponId) {
        CouponLane lane = lanes.get(couponId);
        return lane == null ? 0 : lane.arrivals();
    }

    private void schedule(CouponLane lane) {
        try {
            drainers.execute(() -> drain(lane));
        } catch (RejectedExecutionException shuttingDown) {
            lane.takeBatch(Integer.MAX_VALUE).forEach(waiter -> waiter.fail(storageUnavailable()));
            lane.finishDraining();
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
            }
        }
    }

    private void decide(CouponLane lane, List<Waiter> batch) {
        LocalDateTime now = rules.now();
        ErrorCode known = lane.refusalWithoutDatabase(now);
        if (known != null) {
            batch.forEach(waiter -> waiter.fail(new ApiException(known)));
            return;
        }
        if (outage.refusing()) {
            batch.forEach(waiter -> waiter.fail(storageUnavailable()));
            return;
        }
        Outcome outcome;
        long started = System.nanoTime();
        try {
            outcome = transactions.execute(status -> write(lane.couponId, batch));
        } catch (ApiException refusal) {
            batch.forEach(waiter -> waiter.fail(refusal));
            lanes.remove(lane.couponId, lane);
            return;
        } catch (DataIntegrityViolationException conflict) {
            isolate(lane, batch, conflict);
            return;
        } catch (RuntimeException failure) {
            // the commit failed or its outcome is unknown: nobody may hear "issued" from this batch
            outage.failed();
            log.warn("group-commit batch of {} for coupon {} failed: {}", batch.size(), lane.couponId,
                    failure.toString());
            batch.forEach(waiter -> waiter.fail(storageUnavailable()));
            return;
        }
        batchTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        batchSizes.record(batch.size());
        outage.succeeded();
        lane.learn(outcome.coupon(), outcome.ids().size(), now.plus(refresh));
        answer(batch, outcome);
    }

    /**
     * A constraint refused the batch: rare (the same idempotency key raced on another coupon, a user row
     * vanished). Deciding each request alone confines the refusal to the request that caused it.
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
        boolean open = coupon.remaining() > 0 && BatchDecider.closedReason(coupon, now) == null;
        Map<Long, Integer> held = open && coupon.limitsPerUser() ? batches.heldCounts(couponId, users) : Map.of();
        Map<KeyOfUser, Long> recorded = batches.recorded(keys);
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

    private RetryableApiException storageUnavailable() {
        return new RetryableApiException(ErrorCode.STORAGE_UNAVAILABLE, retryAfterSeconds);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        drainers.shutdown();
        drainers.awaitTermination(properties.batchTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        watchdog.shutdownNow();
    }
}
