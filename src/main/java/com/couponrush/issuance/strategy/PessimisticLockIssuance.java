package com.couponrush.issuance.strategy;

import com.couponrush.issuance.IssuanceStrategy;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code SELECT ... FOR UPDATE} on the coupon row first: every issuance of this coupon queues on that row
 * lock, so the checks, the per-user count, the increment and the insert all see the last committed issue.
 * Waiters hold a pooled connection while they queue, which is what limits this strategy under a rush.
 */
@Component
class PessimisticLockIssuance implements IssuanceStrategy {

    static final String NAME = "pessimistic-lock";

    private final SerialisedIssue serialisedIssue;

    PessimisticLockIssuance(SerialisedIssue serialisedIssue) {
        this.serialisedIssue = serialisedIssue;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    @Transactional
    public IssuedCoupon issue(IssueCommand command) {
        return serialisedIssue.issueUnderRowLock(command);
    }
}
