package com.couponrush.lock;

/** Which Redis client and algorithm holds a {@link DistributedLock}. */
public enum LockBackend {

    /** The seed's lock: Lettuce {@code SET NX PX} retried with jittered backoff; no queue, so no order. */
    LETTUCE_SPIN,

    /** Redisson's fair lock: waiters queue in Redis and are woken in arrival order. */
    REDISSON_FAIR
}
