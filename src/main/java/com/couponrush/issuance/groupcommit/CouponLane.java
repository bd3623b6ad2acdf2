package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One coupon's requests on this instance: a bounded FIFO queue and the promise that at most one batch of this
 * coupon is being decided at a time, so requests are decided in the order they were queued. It also remembers
 * for a short while what the last batch saw (sold out, ended, not started, the per-user limit), so that later
 * requests are answered without a database round trip. Before it forgets, it lets one request through to a batch
 * that reads the row again ({@link #claimRenewal}), so that a crowd on a sold-out coupon is never held for the
 * database each time the remembered refusal would have run out.
 *
 * <p>A person holds few places. Until a batch has told the lane the coupon's per-user limit, and while that
 * limit is one, a user's further requests take no place: they follow the answer of the user's request in line
 * ({@link Admission.Kind#FOLLOW}). With a higher limit a user holds at most that many places (capped by the
 * engine's {@code maxPlacesPerUser}). So one client with 500 connections cannot push others out of the queue.
 * An idle lane retires (see {@link #retireIfIdle}); the engine then drops it and builds a new one on demand.
 */
final class CouponLane {

    /** What became of a request offered to the lane; {@code ahead} (the user's request in line) only if FOLLOW. */
    record Admission(Kind kind, Waiter ahead) {
        enum Kind { QUEUED, FOLLOW, FULL, USER_AT_CAP, RETIRED }

        static final Admission QUEUED = new Admission(Kind.QUEUED, null);
        static final Admission FULL = new Admission(Kind.FULL, null);
        static final Admission USER_AT_CAP = new Admission(Kind.USER_AT_CAP, null);
        static final Admission RETIRED = new Admission(Kind.RETIRED, null);
    }

    private static final int LIMIT_UNKNOWN = -1;

    final long couponId;
    private final LinkedBlockingQueue<Waiter> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong arrivals = new AtomicLong();
    // Admission, the places map and retirement change together, so that no request joins a retired lane.
    private final ReentrantLock admission = new ReentrantLock();
    private final Map<Long, List<Waiter>> placesByUser = new HashMap<>();
    private boolean retired;
    private volatile long lastAdmittedNanos = System.nanoTime();
    private volatile boolean missing;
    private volatile int perUserLimit = LIMIT_UNKNOWN;
    // What the last batch saw. An operator may lift any of it (more stock, a later end), so it is trusted only
    // until expireAt (coupon.issuance.refresh after the batch began); then the next batch reads the row again.
    private volatile Facts facts;
    // A request was let through to renew the facts and no batch has learned since.
    private final AtomicBoolean renewing = new AtomicBoolean();

    private record Facts(CouponSnapshot seen, int issuedSince, LocalDateTime renewFrom, LocalDateTime expireAt) {
    }

    CouponLane(long couponId, int maxQueue) {
        this.couponId = couponId;
        this.queue = new LinkedBlockingQueue<>(maxQueue);
    }

    /**
     * Queues the request unless its user already holds a place it must follow or all the places they may, or the
     * lane is full (the caller must then be told to come back rather than wait) or retired (the caller must use a
     * fresh lane).
     *
     * @param maxPlacesPerUser places one user may hold at once when the coupon's limit is higher or absent
     */
    Admission admit(Waiter waiter, int maxPlacesPerUser) {
        long userId = waiter.command.userId();
        admission.lock();
        try {
            if (retired) {
                return Admission.RETIRED;
            }
            List<Waiter> places = placesByUser.get(userId);
            if (places != null) {
                int limit = perUserLimit;
                if (limit == LIMIT_UNKNOWN || limit == 1) {
                    return new Admission(Admission.Kind.FOLLOW, places.get(0));
                }
                int cap = limit > 0 ? Math.min(limit, maxPlacesPerUser) : maxPlacesPerUser;
                if (places.size() >= cap) {
                    return Admission.USER_AT_CAP;
                }
            }
            if (queue.remainingCapacity() == 0) {
                return Admission.FULL;
            }
            waiter.beforeAnswer(() -> leave(waiter));
            queue.add(waiter);
            if (places == null) {
                places = new ArrayList<>(1);
                placesByUser.put(userId, places);
            }
            places.add(waiter);
            arrivals.incrementAndGet();
            lastAdmittedNanos = System.nanoTime();
        } finally {
            admission.unlock();
        }
        return Admission.QUEUED;
    }

    private void leave(Waiter waiter) {
        long userId = waiter.command.userId();
        admission.lock();
        try {
            List<Waiter> places = placesByUser.get(userId);
            if (places != null && places.remove(waiter) && places.isEmpty()) {
                placesByUser.remove(userId);
            }
        } finally {
            admission.unlock();
        }
    }

    /**
     * Retires the lane if nobody is in it or being decided and nobody was admitted for {@code idleNanos}; a
     * retired lane admits nobody, so the engine can drop it without stranding a request.
     */
    boolean retireIfIdle(long nowNanos, long idleNanos) {
        if (draining.get() || !queue.isEmpty() || nowNanos - lastAdmittedNanos < idleNanos) {
            return false;
        }
        admission.lock();
        try {
            if (draining.get() || !queue.isEmpty() || !placesByUser.isEmpty()) {
                return false;
            }
            retired = true;
            return true;
        } finally {
            admission.unlock();
        }
    }

    /** A batch found no such coupon: the lane should go as soon as it is empty, not after the idle time. */
    void markMissing() {
        missing = true;
    }

    boolean missing() {
        return missing;
    }

    /** Users holding a place in the lane (tests and diagnostics). */
    int usersInLine() {
        admission.lock();
        try {
            return placesByUser.size();
        } finally {
            admission.unlock();
        }
    }

    /** Requests ever accepted into the lane: lets a test know the exact arrival order it created. */
    long arrivals() {
        return arrivals.get();
    }

    /** True if the caller became the lane's only drainer and must schedule a drain. */
    boolean startDraining() {
        return draining.compareAndSet(false, true);
    }

    /**
     * Ends a drain; true if requests arrived meanwhile and the caller stays the drainer and must schedule
     * another. Checking after releasing closes the race with an offer that saw the lane still draining.
     */
    boolean finishDraining() {
        draining.set(false);
        return !queue.isEmpty() && draining.compareAndSet(false, true);
    }

    /** The next requests in arrival order, skipping those withdrawn at their deadline before a batch took them. */
    List<Waiter> takeBatch(int max) {
        List<Waiter> taken = new ArrayList<>(Math.min(max, queue.size() + 1));
        queue.drainTo(taken, max);
        List<Waiter> batch = new ArrayList<>(taken.size());
        for (Waiter waiter : taken) {
            if (waiter.claim()) {
                batch.add(waiter);
            }
        }
        return batch;
    }

    /**
     * Withdraws the requests still queued past their deadline and returns them for answering (nothing was written
     * for them). The queue is in arrival order, so deadlines ascend and the scan stops at the first in time.
     * Requests a batch has claimed are not touched: their batch answers them.
     */
    List<Waiter> withdrawOverdue(long nowNanos) {
        List<Waiter> overdue = List.of();
        for (Waiter waiter : queue) {
            if (!waiter.overdue(nowNanos)) {
                break;
            }
            if (waiter.withdrawIfOverdue(nowNanos)) {
                if (overdue.isEmpty()) {
                    overdue = new ArrayList<>();
                }
                overdue.add(waiter);
            }
        }
        return overdue;
    }

    int depth() {
        return queue.size();
    }

    /** Someone is queued or a batch is being decided. */
    boolean busy() {
        return draining.get() || !queue.isEmpty();
    }

    /** The answer the lane may give without the database ({@link IssuancePolicy#lastingRefusal}); null if none. */
    ErrorCode refusalWithoutDatabase(LocalDateTime now) {
        Facts known = facts;
        if (known == null || !now.isBefore(known.expireAt())) {
            return null;
        }
        return IssuancePolicy.lastingRefusal(known.seen(), known.issuedSince(), now);
    }

    /**
     * True for one caller once the facts are due for renewal (from {@code renewFrom} until they expire): that
     * caller's request goes to a batch, which reads the row again, while every other request is still answered
     * from the facts. A renewal that fails leaves the facts to expire as they would have.
     */
    boolean claimRenewal(LocalDateTime now) {
        Facts known = facts;
        return known != null && !now.isBefore(known.renewFrom()) && now.isBefore(known.expireAt())
                && renewing.compareAndSet(false, true);
    }

    /** A request was let through to renew the facts: its batch must read the row rather than answer from them. */
    boolean renewing() {
        return renewing.get();
    }

    /** The coupon's per-user limit as the last batch read it (0: none), or -1 before any batch. */
    int perUserLimit() {
        return perUserLimit;
    }

    /**
     * What a committed batch saw: the coupon row as locked, and how many it issued on top; {@code expireAt} must
     * count from before the batch locked the row, so that no change committed after the row was read outlives it.
     * From {@code renewFrom} on, one request may renew them ({@link #claimRenewal}).
     */
    void learn(CouponSnapshot locked, int issued, LocalDateTime renewFrom, LocalDateTime expireAt) {
        perUserLimit = locked.perUserLimit();
        facts = new Facts(locked, issued, renewFrom, expireAt);
        renewing.set(false);
    }
}
