package com.couponrush.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.support.IntegrationTest;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link DistributedLock} on both backends against the real Redis: the lock is taken before the method's
 * transaction and given back only after it has completed, refused when busy, and released only by its owner.
 */
@IntegrationTest
class DistributedLockIT {

    @TestConfiguration
    static class LockedMethods {

        @Bean
        LockedWork lockedWork() {
            return new LockedWork();
        }
    }

    /** One method per backend and shape, since annotation attributes are constants. */
    static class LockedWork {

        @DistributedLock(key = "'probe:' + #name", backend = LockBackend.LETTUCE_SPIN, waitTime = 300,
                leaseTime = 10_000, timeUnit = TimeUnit.MILLISECONDS)
        @Transactional
        public void lettuceInOwnTransaction(String name, Runnable work) {
            work.run();
        }

        @DistributedLock(key = "'probe:' + #name", backend = LockBackend.REDISSON_FAIR, waitTime = 300,
                leaseTime = 10_000, timeUnit = TimeUnit.MILLISECONDS)
        @Transactional
        public void redissonInOwnTransaction(String name, Runnable work) {
            work.run();
        }

        @DistributedLock(key = "'probe:' + #name", backend = LockBackend.LETTUCE_SPIN, waitTime = 300,
                leaseTime = 10_000, timeUnit = TimeUnit.MILLISECONDS)
        public void lettuceInCallersTransaction(String name, Runnable work) {
            work.run();
        }

        @DistributedLock(key = "'probe:' + #name", backend = LockBackend.REDISSON_FAIR, waitTime = 300,
                leaseTime = 10_000, timeUnit = TimeUnit.MILLISECONDS)
        public void redissonInCallersTransaction(String name, Runnable work) {
            work.run();
        }
    }

    @Autowired
    LockedWork lockedWork;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    RedissonClient redisson;
    @Autowired
    LettuceSpinLock lettuceSpinLock;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    BeanFactoryTransactionAttributeSourceAdvisor transactionAdvisor;

    final ExecutorService otherOwner = Executors.newSingleThreadExecutor();
    final String name = UUID.randomUUID().toString();
    final String key = DistributedLockAspect.PREFIX + "probe:" + name;

    @AfterEach
    void stopOtherOwner() {
        otherOwner.shutdownNow();
    }

    /** Dispatched here, not inside LockedWork: a self-call would bypass the proxy and so the lock. */
    void inOwnTransaction(LockBackend backend, String name, Runnable work) {
        switch (backend) {
            case LETTUCE_SPIN -> lockedWork.lettuceInOwnTransaction(name, work);
            case REDISSON_FAIR -> lockedWork.redissonInOwnTransaction(name, work);
        }
    }

    void inCallersTransaction(LockBackend backend, String name, Runnable work) {
        switch (backend) {
            case LETTUCE_SPIN -> lockedWork.lettuceInCallersTransaction(name, work);
            case REDISSON_FAIR -> lockedWork.redissonInCallersTransaction(name, work);
        }
    }

    boolean locked(LockBackend backend) {
        return switch (backend) {
            case LETTUCE_SPIN -> Boolean.TRUE.equals(redis.hasKey(key));
            case REDISSON_FAIR -> redisson.getFairLock(key).isLocked();
        };
    }

    @Test
    void theLockWrapsTheTransactionInterceptor() {
        assertThat(DistributedLockAspect.ORDER).isLessThan(transactionAdvisor.getOrder());
    }

    @ParameterizedTest
    @EnumSource(LockBackend.class)
    void theLockIsStillHeldWhenTheTransactionCommits(LockBackend backend) {
        AtomicReference<Boolean> heldInside = new AtomicReference<>();
        AtomicReference<Boolean> heldAtCommit = new AtomicReference<>();

        inOwnTransaction(backend, name, () -> {
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
            heldInside.set(locked(backend));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    heldAtCommit.set(locked(backend));
                }
            });
        });

        assertThat(heldInside.get()).as("held while the method runs").isTrue();
        assertThat(heldAtCommit.get()).as("held when the transaction has committed").isTrue();
        assertThat(locked(backend)).as("released after the commit").isFalse();
    }

    @ParameterizedTest
    @EnumSource(LockBackend.class)
    void insideACallersTransactionTheReleaseWaitsForItsCompletion(LockBackend backend) {
        transactions.executeWithoutResult(status -> {
            inCallersTransaction(backend, name, () -> { });
            assertThat(locked(backend)).as("the method returned but the caller has not committed").isTrue();
        });

        assertThat(locked(backend)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(LockBackend.class)
    void aRolledBackTransactionReleasesTheLockToo(LockBackend backend) {
        assertThatThrownBy(() -> inOwnTransaction(backend, name, () -> {
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");

        assertThat(locked(backend)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(LockBackend.class)
    void aLockHeldElsewhereIsRefusedAfterTheWaitTime(LockBackend backend) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Void> owner = CompletableFuture.runAsync(() -> {
            RLock fair = backend == LockBackend.REDISSON_FAIR ? redisson.getFairLock(key) : null;
            String token = null;
            if (fair != null) {
                fair.lock(30, TimeUnit.SECONDS);
            } else {
                token = lettuceSpinLock.acquireLock(key, Duration.ofSeconds(1), Duration.ofSeconds(30));
            }
            holding.countDown();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (fair != null) {
                    fair.unlock();
                } else {
                    lettuceSpinLock.releaseLock(key, token);
                }
            }
        }, otherOwner);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> inOwnTransaction(backend, name, () -> { }))
                    .isInstanceOfSatisfying(ApiException.class,
                            refusal -> assertThat(refusal.errorCode()).isEqualTo(ErrorCode.LOCK_NOT_ACQUIRED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(locked(backend)).as("the refused caller did not take the owner's lock away").isTrue();
        } finally {
            done.countDown();
            owner.get(10, TimeUnit.SECONDS);
        }
        assertThat(locked(backend)).isFalse();
    }

    @Test
    void onlyTheOwnerTokenReleasesALettuceLock() {
        String token = lettuceSpinLock.acquireLock(key, Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(token).isNotNull();
        assertThat(lettuceSpinLock.acquireLock(key, Duration.ofMillis(100), Duration.ofSeconds(10))).isNull();

        assertThat(lettuceSpinLock.releaseLock(key, "someone-else")).isFalse();
        assertThat(redis.opsForValue().get(key)).isEqualTo(token);
        assertThat(redis.getExpire(key, TimeUnit.MILLISECONDS)).isBetween(1L, 10_000L);

        assertThat(lettuceSpinLock.releaseLock(key, token)).isTrue();
        assertThat(redis.hasKey(key)).isFalse();
    }

    @Test
    void executeWithLockRefusesWithTheSeedsConflict() {
        String token = lettuceSpinLock.acquireLock(key, Duration.ofSeconds(1), Duration.ofSeconds(10));
        try {
            assertThatThrownBy(() -> lettuceSpinLock.executeWithLock(key, Duration.ofMillis(100),
                    Duration.ofSeconds(1), () -> "never"))
                    .isInstanceOfSatisfying(ApiException.class,
                            refusal -> assertThat(refusal.errorCode()).isEqualTo(ErrorCode.LOCK_NOT_ACQUIRED));
        } finally {
            lettuceSpinLock.releaseLock(key, token);
        }
        assertThat(lettuceSpinLock.executeWithLock(key, Duration.ofMillis(100), Duration.ofSeconds(1),
                () -> locked(LockBackend.LETTUCE_SPIN))).isTrue();
        assertThat(redis.hasKey(key)).isFalse();
    }
}
