package com.couponrush.issuance.strategy;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuanceRules;
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
    private final IssuanceRules rules;

    SerialisedIssue(IssuanceLedger ledger, IssuanceRules rules) {
        this.ledger = ledger;
        this.rules = rules;
    }

    /** For a caller whose lock outside the database keeps every other issuance of the coupon out. */
    IssuedCoupon issue(IssueCommand command) {
        return issue(ledger.find(command.couponId()).orElseThrow(IssuanceRules::notFound), command);
    }

    /** Takes the coupon's row lock first, which keeps every other issuance of the coupon out until commit. */
    IssuedCoupon issueUnderRowLock(IssueCommand command) {
        return issue(ledger.findForUpdate(command.couponId()).orElseThrow(IssuanceRules::notFound), command);
    }

    private IssuedCoupon issue(CouponSnapshot coupon, IssueCommand command) {
        LocalDateTime now = rules.now();
        rules.check(coupon, now, () -> ledger.countHeld(command.userId(), command.couponId()));
        ledger.addIssued(coupon.id(), 1);
        return new IssuedCoupon(ledger.insert(command, now));
    }
}
