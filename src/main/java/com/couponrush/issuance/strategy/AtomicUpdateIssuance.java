package com.couponrush.issuance.strategy;

import com.couponrush.issuance.IssuanceStrategy;
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
import org.springframework.transaction.annotation.Transactional;

/**
 * The seed's trouble-shooting fix: the counter moves with one conditional UPDATE, whose affected-row count
 * decides. That UPDATE also holds the coupon row lock until commit, so the per-user count and the insert
 * that follow are serialised per coupon without any lock outside the database.
 */
@Component
class AtomicUpdateIssuance implements IssuanceStrategy {

    static final String NAME = "atomic-update";

    private final IssuanceLedger ledger;
    private final Clock clock;

    AtomicUpdateIssuance(IssuanceLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    @Transactional
    public IssuedCoupon issue(IssueCommand command) {
        LocalDateTime now = LocalDateTime.now(clock);
        if (!ledger.tryTake(command.couponId(), 1, now)) {
            CouponSnapshot coupon = ledger.find(command.couponId()).orElseThrow(SerialisedIssue::notFound);
            throw new ApiException(IssuancePolicy.whyNothingWasTaken(coupon, now));
        }
        CouponSnapshot coupon = ledger.find(command.couponId()).orElseThrow(SerialisedIssue::notFound);
        if (coupon.limitsPerUser()) {
            ErrorCode refusal = IssuancePolicy.userLimitRefusal(coupon,
                    ledger.countHeld(command.userId(), command.couponId()));
            if (refusal != null) {
                // the rollback returns the stock this transaction took
                throw new ApiException(refusal);
            }
        }
        return new IssuedCoupon(ledger.insert(command.couponId(), command.userId(), command.idempotencyKey(), now));
    }
}
