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
 * The seed's Lettuce spin lock on {@code lock:coupon:{id}} around a plain read-check-increment. Unlike the
 * seed, the lock outlives the commit (see {@link DistributedLock}). Pollers wake at random, so the order
 * of service is not the order of arrival.
 */
@Component
class LettuceSpinLockIssuance implements IssuanceStrategy {

    static final String NAME = "lettuce-spin-lock";

    private final SerialisedIssue serialisedIssue;

    LettuceSpinLockIssuance(SerialisedIssue serialisedIssue) {
        this.serialisedIssue = serialisedIssue;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    @DistributedLock(key = "'coupon:' + #command.couponId()", backend = LockBackend.LETTUCE_SPIN,
            waitTime = 10_000, leaseTime = 5_000, timeUnit = TimeUnit.MILLISECONDS)
    @Transactional
    public IssuedCoupon issue(IssueCommand command) {
        return serialisedIssue.issue(command);
    }
}
