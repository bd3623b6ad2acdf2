package com.couponrush.issuance.groupcommit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coupon ids a batch found not to exist, answered COUPON_NOT_FOUND without a lane or a query until
 * coupon.issuance.refresh has passed (a coupon created meanwhile is found then). Clients choose the ids, so the
 * memory is bounded: when full, a further unknown id is simply looked up again by its own batch.
 */
final class UnknownCoupons {

    private final Map<Long, Long> forgetAtNanos = new ConcurrentHashMap<>();
    private final long refreshNanos;
    private final int capacity;

    UnknownCoupons(Duration refresh, int capacity) {
        this.refreshNanos = refresh.toNanos();
        this.capacity = capacity;
    }

    boolean known(long couponId) {
        Long forgetAt = forgetAtNanos.get(couponId);
        if (forgetAt == null) {
            return false;
        }
        if (System.nanoTime() - forgetAt >= 0) {
            forgetAtNanos.remove(couponId, forgetAt);
            return false;
        }
        return true;
    }

    void remember(long couponId) {
        if (forgetAtNanos.size() < capacity) {
            forgetAtNanos.put(couponId, System.nanoTime() + refreshNanos);
        }
    }

    void forgetExpired(long nowNanos) {
        forgetAtNanos.values().removeIf(forgetAt -> nowNanos - forgetAt >= 0);
    }

    int size() {
        return forgetAtNanos.size();
    }
}
