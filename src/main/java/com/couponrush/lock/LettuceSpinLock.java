package com.couponrush.lock;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.SetCondition;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.stereotype.Component;

/**
 * The seed's Redis lock on Lettuce (through Spring Data Redis): whoever sets the key first holds it, the
 * others poll. The value is a random owner token, so that only the owner can delete it: a holder whose lease
 * ran out must not delete the lock a later holder has taken meanwhile.
 */
@Component
public class LettuceSpinLock {

    private static final Logger log = LoggerFactory.getLogger(LettuceSpinLock.class);

    private static final RedisScript<Long> COMPARE_AND_DELETE = new DefaultRedisScript<>(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
            Long.class);

    /** Short first pauses keep the lock busy under a rush; the cap keeps Redis from being polled flat out. */
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final StringRedisTemplate redis;

    public LettuceSpinLock(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * Tries {@code SET key token NX PX lease} until it succeeds or {@code wait} has passed.
     *
     * @return the owner token to release with, or {@code null} if the lock was not acquired in time
     */
    public String acquireLock(String key, Duration wait, Duration lease) {
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (!trySet(key, token, lease)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            // Full jitter: pollers that lost together must not all come back together.
            LockSupport.parkNanos(Math.min(left, ThreadLocalRandom.current().nextLong(pause / 2, pause + 1)));
            if (Thread.currentThread().isInterrupted()) {
                return null;
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
        return token;
    }

    /** Deletes the lock only if {@code token} still owns it; false means the lease had already run out. */
    public boolean releaseLock(String key, String token) {
        Long deleted = redis.execute(COMPARE_AND_DELETE, List.of(key), token);
        return deleted != null && deleted == 1L;
    }

    /**
     * The seed's entry point: runs {@code task} under the lock. Inside a transaction the lock is kept until
     * that transaction completes (see {@link ReleaseAfterTransaction}).
     */
    public <T> T executeWithLock(String key, Duration wait, Duration lease, Supplier<T> task) {
        HeldLock held = hold(key, wait, lease);
        try {
            return task.get();
        } finally {
            ReleaseAfterTransaction.release(held);
        }
    }

    HeldLock hold(String key, Duration wait, Duration lease) {
        String token = acquireLock(key, wait, lease);
        if (token == null) {
            throw new ApiException(ErrorCode.LOCK_NOT_ACQUIRED);
        }
        return () -> {
            if (!releaseLock(key, token)) {
                log.warn("Lock {} had expired before its holder released it: its lease is shorter than the work", key);
            }
        };
    }

    private boolean trySet(String key, String token, Duration lease) {
        Boolean set = redis.execute((RedisCallback<Boolean>) connection -> connection.stringCommands().set(
                key.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8),
                SetCondition.ifAbsent(), Expiration.milliseconds(lease.toMillis())));
        return Boolean.TRUE.equals(set);
    }
}
