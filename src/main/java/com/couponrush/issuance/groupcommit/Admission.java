package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.InLine;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.ledger.BatchDecider.KeyOfUser;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.issuance.line.PlaceTaker;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in line: admits a request into its coupon's lane, or refuses it at once, and knows every lane and every
 * keyed request in line on this instance. Refusals that need no lane come first, so that nothing is built for a
 * request that is refused: shutting down, the database unreachable, a coupon known not to exist, a coupon whose row
 * is held elsewhere. Nothing here touches the database: what a request needs from it, its batch reads. A request
 * that finds its lane full joins the coupon's waiting line instead ({@link PlaceTaker}), which commits a place
 * before it answers: the caller gets the place ({@link InLine}), or the outcome if their place is already decided.
 *
 * <p>While a keyed request is in line, the same key for the same coupon shares its answer and for another coupon is
 * refused (IDEMPOTENCY_KEY_REUSED), so two batches never race to insert one key.
 */
final class Admission {

    private final Map<Long, CouponLane> lanes = new ConcurrentHashMap<>();
    // One entry per keyed request queued or in a batch on this instance: bounded like the lanes themselves.
    private final Map<KeyOfUser, Waiter> keysInLine = new ConcurrentHashMap<>();
    private final DatabaseWatch database;
    private final UnknownCoupons unknownCoupons;
    private final Drainers drainers;
    private final PlaceTaker line;
    private final Clock clock;
    private final int maxQueue;
    private final int maxPlacesPerUser;
    private final long waitTimeoutNanos;
    private final long laneIdleNanos;
    private final long retryAfterSeconds;
    private volatile boolean open = true;

    Admission(GroupCommitProperties properties, DatabaseWatch database, UnknownCoupons unknownCoupons,
              Drainers drainers, PlaceTaker line, Clock clock) {
        this.database = database;
        this.line = line;
        this.unknownCoupons = unknownCoupons;
        this.drainers = drainers;
        this.clock = clock;
        this.maxQueue = properties.maxQueue();
        this.maxPlacesPerUser = properties.maxPlacesPerUser();
        this.waitTimeoutNanos = properties.waitTimeout().toNanos();
        this.laneIdleNanos = properties.laneIdleTimeout().toNanos();
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
    }

    /**
     * Admits the request or throws its refusal; returns the waiter that carries its answer: its own when queued,
     * one derived from another request's when it follows one.
     */
    Waiter admit(IssueCommand command) {
        if (!open) {
            throw retryable(ErrorCode.SHUTTING_DOWN);
        }
        if (!database.reachable()) {
            throw retryable(ErrorCode.STORAGE_UNAVAILABLE);
        }
        if (unknownCoupons.known(command.couponId())) {
            throw new ApiException(ErrorCode.COUPON_NOT_FOUND);
        }
        if (database.contended(command.couponId())) {
            throw retryable(ErrorCode.COUPON_BUSY);
        }
        Waiter waiter = new Waiter(command, System.nanoTime() + waitTimeoutNanos);
        if (command.idempotencyKey() != null) {
            KeyOfUser key = new KeyOfUser(command.userId(), command.idempotencyKey());
            Waiter sameKey = keysInLine.putIfAbsent(key, waiter);
            if (sameKey != null) {
                if (sameKey.command.couponId() != command.couponId()) {
                    throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED);
                }
                return sameKey;
            }
            waiter.beforeAnswer(() -> keysInLine.remove(key, waiter));
        }
        try {
            enqueue(waiter);
        } catch (RuntimeException refused) {
            // requests that joined this one by its key wait on it: answer them too
            waiter.fail(refused);
            throw refused;
        }
        return waiter;
    }

    /** Puts the waiter in its coupon's lane, or answers it from what the lane knows, or makes it follow. */
    private void enqueue(Waiter waiter) {
        IssueCommand command = waiter.command;
        while (true) {
            CouponLane lane = lanes.computeIfAbsent(command.couponId(), couponId -> new CouponLane(couponId, maxQueue));
            LocalDateTime now = LocalDateTime.now(clock);
            ErrorCode known = lane.refusalWithoutDatabase(now);
            if (known != null && command.idempotencyKey() == null && !lane.claimRenewal(now)) {
                waiter.fail(new ApiException(known));
                return;
            }
            CouponLane.Admission admission = lane.admit(waiter, maxPlacesPerUser);
            switch (admission.kind()) {
                case QUEUED -> {
                    if (lane.startDraining()) {
                        drainers.schedule(lane);
                    }
                    return;
                }
                case FOLLOW -> {
                    follow(admission.ahead(), waiter, lane);
                    return;
                }
                case FULL -> {
                    joinTheLine(waiter);
                    return;
                }
                case USER_AT_CAP -> throw retryable(ErrorCode.ALREADY_IN_LINE);
                case RETIRED -> lanes.remove(command.couponId(), lane);
            }
        }
    }

    /**
     * A user's further request while their earlier one is in line takes no place: it gets what the earlier one's
     * answer settles for it ({@link IssuancePolicy#followingAnswer}), the same "nothing written, come back" when
     * that one was not decided, the same place when that one got a place, and otherwise joins the line again to be
     * decided on its own.
     */
    private void follow(Waiter ahead, Waiter follower, CouponLane lane) {
        ahead.whenAnswered((issued, failure) -> {
            if (failure instanceof InLine place) {
                follower.fail(place);
                return;
            }
            ErrorCode earlier = failure == null ? null
                    : failure instanceof ApiException refusal ? refusal.errorCode() : ErrorCode.INTERNAL_ERROR;
            if (failure instanceof RetryableApiException notDecided) {
                follower.fail(notDecided.errorCode() == ErrorCode.OUTCOME_UNKNOWN
                        ? retryable(ErrorCode.STORAGE_UNAVAILABLE) : notDecided);
                return;
            }
            ErrorCode settled = IssuancePolicy.followingAnswer(earlier, lane.perUserLimit());
            if (settled != null) {
                follower.fail(new ApiException(settled));
            } else if (follower.overdue(System.nanoTime())) {
                follower.fail(retryable(ErrorCode.SERVICE_OVERLOADED));
            } else {
                try {
                    enqueue(follower);
                } catch (RuntimeException refused) {
                    follower.fail(refused);
                }
            }
        });
    }

    /**
     * More than the lane can decide within its deadline: the request takes a place in the coupon's line (or gets
     * the one its user holds), answered when the line has committed it. A decided place answers as a direct
     * issuance would: the coupon it got, or why not.
     */
    private void joinTheLine(Waiter waiter) {
        long couponId = waiter.command.couponId();
        line.take(couponId, waiter.command.userId()).whenComplete((place, failure) -> {
            if (failure != null) {
                waiter.fail(Waiter.asRuntime(failure instanceof CompletionException wrapped
                        && wrapped.getCause() != null ? wrapped.getCause() : failure));
            } else {
                PlaceAnswers.answer(PlaceAnswers.AT_ONCE, waiter, couponId, place, retryAfterSeconds);
            }
        });
    }

    /** Stops admitting: every further request hears SHUTTING_DOWN. */
    void close() {
        open = false;
    }

    /** Withdraws every request still queued past its deadline, for the caller to answer. */
    List<Waiter> withdrawOverdue(long nowNanos) {
        List<Waiter> overdue = new ArrayList<>();
        for (CouponLane lane : lanes.values()) {
            overdue.addAll(lane.withdrawOverdue(nowNanos));
        }
        return overdue;
    }

    /** Drops lanes idle for the lane-idle-timeout, and lanes of missing coupons as soon as they are empty. */
    void retireIdleLanes(long nowNanos) {
        for (CouponLane lane : lanes.values()) {
            if (lane.retireIfIdle(nowNanos, lane.missing() ? 0 : laneIdleNanos)) {
                lanes.remove(lane.couponId, lane);
                database.forget(lane.couponId);
            }
        }
    }

    boolean busy() {
        return lanes.values().stream().anyMatch(CouponLane::busy);
    }

    /** Everyone still queued once the drainers have stopped: never decided. */
    void refuseEveryoneQueued() {
        for (CouponLane lane : lanes.values()) {
            lane.takeBatch(Integer.MAX_VALUE).forEach(waiter -> waiter.fail(retryable(ErrorCode.SHUTTING_DOWN)));
        }
    }

    int queued() {
        return lanes.values().stream().mapToInt(CouponLane::depth).sum();
    }

    CouponLane lane(long couponId) {
        return lanes.get(couponId);
    }

    GroupCommitIssuance.RetainedState retained() {
        return new GroupCommitIssuance.RetainedState(lanes.size(),
                lanes.values().stream().mapToInt(CouponLane::usersInLine).sum(), keysInLine.size());
    }

    private RetryableApiException retryable(ErrorCode code) {
        return new RetryableApiException(code, retryAfterSeconds);
    }
}
