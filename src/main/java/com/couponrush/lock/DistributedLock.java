package com.couponrush.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * Runs the method while holding a Redis lock named {@code lock:<key>}, shared by every instance of the
 * service. The lock is taken before any transaction of the method begins and released only after that
 * transaction (or the caller's, if one is already open) has completed, so the next holder always reads
 * committed data. Not acquired within {@link #waitTime()}: {@code LOCK_NOT_ACQUIRED} (409).
 *
 * <pre>{@code
 * @DistributedLock(key = "'coupon:' + #command.couponId()", backend = LockBackend.REDISSON_FAIR)
 * @Transactional
 * public IssuedCoupon issue(IssueCommand command) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLock {

    /** SpEL over the method's parameters by name, e.g. {@code 'coupon:' + #command.couponId()}. */
    String key();

    LockBackend backend() default LockBackend.REDISSON_FAIR;

    /** How long to wait for the lock before refusing. */
    long waitTime() default 5;

    /**
     * How long the lock lives if its holder never releases it (a crashed instance). Must exceed the
     * method plus its commit: a lease that expires early lets a second holder in.
     */
    long leaseTime() default 5;

    TimeUnit timeUnit() default TimeUnit.SECONDS;
}
