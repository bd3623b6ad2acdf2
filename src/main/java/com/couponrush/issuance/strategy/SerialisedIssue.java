package com.couponrush.issuance.strategy;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import org.springframework.stereotype.Component;

/**
 * Check, count and write in the seed's order: window, stock, the user's holdings, increment, insert.
 * Plain reads and a plain increment are only correct while the caller keeps every other issuance of the
 * same coupon out until this transaction commits: a row lock in {@code pessimistic-lock}, a Redis lock
 * released after commit in the Redis strategies. Must run inside the caller's transaction.
 */
@Component
class SerialisedIssue {

    private final IssuanceLedger ledger;
    private final Clock clock;

    SerialisedIssue(IssuanceLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** For a caller whose lock outside the database keeps every other issuance of the coupon out. */
    IssuedCoupon issue(IssueCommand command) {
        return issue(ledger.find(command.couponId()).orElseThrow(SerialisedIssue::notFound), command);
    }

    /** Takes the coupon's row lock first, which keeps every other issuance of the coupon out until commit. */
    IssuedCoupon issueUnderRowLock(IssueCommand command) {
        return issue(ledger.findForUpdate(command.couponId()).orElseThrow(SerialisedIssue::notFound), command);
    }

    private IssuedCoupon issue(CouponSnapshot coupon, IssueCommand command) {
        LocalDateTime now = LocalDateTime.now(clock);
        ErrorCode refusal = IssuancePolicy.refusal(coupon, now, coupon.remaining(),
                () -> ledger.countHeld(command.userId(), command.couponId()));
        if (refusal != null) {
            throw new ApiException(refusal);
        }
        ledger.addIssued(coupon.id(), 1);
        return new IssuedCoupon(ledger.insert(command.couponId(), command.userId(), command.idempotencyKey(), now));
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.COUPON_NOT_FOUND);
    }
}
