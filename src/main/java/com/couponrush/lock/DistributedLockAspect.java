package com.couponrush.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.Ordered;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.Order;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.stereotype.Component;

/**
 * Applies {@link DistributedLock}. Ordered before the transaction interceptor (which Spring Boot leaves at
 * {@link Ordered#LOWEST_PRECEDENCE}), so the call runs lock, begin, commit, unlock: a waiter holds no
 * database connection, and the next holder reads what the previous one committed. Should the lock ever
 * run inside a transaction anyway, its release still waits for that transaction's completion.
 */
@Aspect
@Component
@Order(DistributedLockAspect.ORDER)
class DistributedLockAspect {

    static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;
    static final String PREFIX = "lock:";

    private final LettuceSpinLock lettuceSpinLock;
    private final RedissonFairLock redissonFairLock;
    private final SpelExpressionParser parser = new SpelExpressionParser();
    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private final Map<String, Expression> keys = new ConcurrentHashMap<>();

    DistributedLockAspect(LettuceSpinLock lettuceSpinLock, RedissonFairLock redissonFairLock) {
        this.lettuceSpinLock = lettuceSpinLock;
        this.redissonFairLock = redissonFairLock;
    }

    @Around("@annotation(lock)")
    Object lockAround(ProceedingJoinPoint call, DistributedLock lock) throws Throwable {
        String key = PREFIX + key(call, lock);
        HeldLock held = switch (lock.backend()) {
            case LETTUCE_SPIN -> lettuceSpinLock.hold(key, Duration.of(lock.waitTime(), lock.timeUnit().toChronoUnit()),
                    Duration.of(lock.leaseTime(), lock.timeUnit().toChronoUnit()));
            case REDISSON_FAIR -> redissonFairLock.hold(key, lock.waitTime(), lock.leaseTime(), lock.timeUnit());
        };
        try {
            return call.proceed();
        } finally {
            ReleaseAfterTransaction.release(held);
        }
    }

    private String key(ProceedingJoinPoint call, DistributedLock lock) {
        Method method = ((MethodSignature) call.getSignature()).getMethod();
        Expression expression = keys.computeIfAbsent(lock.key(), parser::parseExpression);
        Object value = expression.getValue(
                new MethodBasedEvaluationContext(call.getTarget(), method, call.getArgs(), parameterNames));
        if (value == null) {
            throw new IllegalArgumentException("@DistributedLock key '" + lock.key() + "' evaluated to null on "
                    + method);
        }
        return value.toString();
    }
}
