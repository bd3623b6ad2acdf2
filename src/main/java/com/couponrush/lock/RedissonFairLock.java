package com.couponrush.lock;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Redisson's fair lock: waiters queue in Redis and the releaser wakes the oldest, instead of everyone
 * polling. Redisson ties ownership to the acquiring thread, which is also the thread that releases,
 * directly or in the transaction's completion callback.
 */
@Component
class RedissonFairLock {

    private static final Logger log = LoggerFactory.getLogger(RedissonFairLock.class);

    private final ObjectProvider<RedissonClient> redisson;

    RedissonFairLock(ObjectProvider<RedissonClient> redisson) {
        this.redisson = redisson;
    }

    HeldLock hold(String key, long waitTime, long leaseTime, TimeUnit unit) {
        RLock lock;
        boolean acquired;
        try {
            lock = redisson.getObject().getFairLock(key);
            acquired = lock.tryLock(waitTime, leaseTime, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.LOCK_NOT_ACQUIRED);
        } catch (RedisException | BeansException unreachable) {
            // Same answer as Lettuce gives through Spring's translation: storage unavailable (503), not a 500.
            throw new DataAccessResourceFailureException("Redis unavailable for lock " + key, unreachable);
        }
        if (!acquired) {
            throw new ApiException(ErrorCode.LOCK_NOT_ACQUIRED);
        }
        return () -> {
            try {
                lock.unlock();
            } catch (IllegalMonitorStateException expired) {
                log.warn("Lock {} had expired before its holder released it: its lease is shorter than the work", key);
            }
        };
    }
}
