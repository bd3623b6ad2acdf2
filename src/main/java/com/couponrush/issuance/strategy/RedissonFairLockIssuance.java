package com.couponrush.issuance.strategy;

import com.couponrush.issuance.IssuanceStrategy;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.lock.DistributedLock;
import com.couponrush.lock.LockBackend;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Redisson's fair lock on {@code lock:coupon:{id}} around a plain read-check-increment, held until after
 * the commit (see {@link DistributedLock}). Waiters queue in Redis, so they are served in arrival order,
 * as the seed's follow-up measured.
 */
@Component
class RedissonFairLockIssuance implements IssuanceStrategy {

    static final String NAME = "redisson-fair-lock";

    private final SerialisedIssue serialisedIssue;

    RedissonFairLockIssuance(SerialisedIssue serialisedIssue) {
        this.serialisedIssue = serialisedIssue;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    @DistributedLock(key = "'coupon:' + #command.couponId()", backend = LockBackend.REDISSON_FAIR,
            waitTime = 10_000, leaseTime = 5_000, timeUnit = TimeUnit.MILLISECONDS)
    @Transactional
    public IssuedCoupon issue(IssueCommand command) {
        return serialisedIssue.issue(command);
    }
}
