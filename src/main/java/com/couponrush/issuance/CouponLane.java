package com.couponrush.issuance;

import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One coupon's requests on this instance: a bounded FIFO queue and the promise that at most one batch
 * of this coupon is being decided at a time, so requests are decided in the order they were queued.
 * It also remembers for a short while what the last batch saw (sold out, ended, not started), so that
 * later requests are answered without a database round trip.
 */
final class CouponLane {

    final long couponId;
    private final LinkedBlockingQueue<Waiter> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong arrivals = new AtomicLong();
    private volatile List<Waiter> deciding = List.of();
    // What the last batch saw. An operator may lift any of it (more stock, a later end), so it is trusted only
    // until factsExpireAt (coupon.issuance.refresh after the batch began); then the next batch reads the row again.
    private volatile LocalDateTime factsExpireAt;
    private volatile ErrorCode finalRefusal;
    private volatile LocalDateTime startDate;
    private volatile LocalDateTime endDate;

    CouponLane(long couponId, int maxQueue) {
        this.couponId = couponId;
        this.queue = new LinkedBlockingQueue<>(maxQueue);
    }

    /** False when the lane is full: the caller must be told to come back rather than wait. */
    boolean offer(Waiter waiter) {
        if (!queue.offer(waiter)) {
            return false;
        }
        arrivals.incrementAndGet();
        return true;
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
        deciding = List.of();
        draining.set(false);
        return !queue.isEmpty() && draining.compareAndSet(false, true);
    }

    /** The next requests in arrival order, skipping those whose callers gave up before being decided. */
    List<Waiter> takeBatch(int max) {
        List<Waiter> taken = new ArrayList<>(Math.min(max, queue.size() + 1));
        List<Waiter> batch = new ArrayList<>(taken.size());
        queue.drainTo(taken, max);
        for (Waiter waiter : taken) {
            if (waiter.claim()) {
                batch.add(waiter);
            }
        }
        deciding = batch;
        return batch;
    }

    /**
     * Answers the callers whose deadline has passed: those still queued (nothing was issued to them) and those
     * in the batch being decided (outcome unknown). The queue is in arrival order, so deadlines ascend and the
     * scan stops at the first caller still in time.
     */
    void answerOverdue(long nowNanos, long retryAfterSeconds) {
        for (Waiter waiter : deciding) {
            waiter.answerIfOverdue(nowNanos, retryAfterSeconds);
        }
        for (Waiter waiter : queue) {
            if (!waiter.overdue(nowNanos)) {
                return;
            }
            waiter.answerIfOverdue(nowNanos, retryAfterSeconds);
        }
    }

    int depth() {
        return queue.size();
    }

    /** A refusal that needs no database: null when only a batch can tell. */
    ErrorCode refusalWithoutDatabase(LocalDateTime now) {
        LocalDateTime expiry = factsExpireAt;
        if (expiry == null || !now.isBefore(expiry)) {
            return null;
        }
        ErrorCode known = finalRefusal;
        if (known != null) {
            return known;
        }
        LocalDateTime start = startDate;
        LocalDateTime end = endDate;
        if (end != null && !now.isBefore(end)) {
            finalRefusal = ErrorCode.COUPON_ENDED;
            return ErrorCode.COUPON_ENDED;
        }
        if (start != null && now.isBefore(start)) {
            return ErrorCode.COUPON_NOT_STARTED;
        }
        return null;
    }

    /**
     * What a committed batch saw: the coupon row as locked, and how many it issued on top; {@code expireAt} must
     * count from before the batch locked the row, so that no change committed after the row was read outlives it.
     */
    void learn(CouponSnapshot locked, int issued, LocalDateTime expireAt) {
        startDate = locked.startDate();
        endDate = locked.endDate();
        finalRefusal = locked.remaining() - issued <= 0 ? ErrorCode.COUPON_SOLD_OUT : null;
        factsExpireAt = expireAt;
    }
}
