package com.couponrush.issuance.strategy;

import com.couponrush.issuance.IssuanceStrategy;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuanceRules;
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
    private final IssuanceRules rules;

    AtomicUpdateIssuance(IssuanceLedger ledger, IssuanceRules rules) {
        this.ledger = ledger;
        this.rules = rules;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    @Transactional
    public IssuedCoupon issue(IssueCommand command) {
        LocalDateTime now = rules.now();
        if (!ledger.tryTake(command.couponId(), 1, now)) {
            CouponSnapshot coupon = ledger.find(command.couponId()).orElseThrow(IssuanceRules::notFound);
            throw rules.refusalFor(coupon, now);
        }
        CouponSnapshot coupon = ledger.find(command.couponId()).orElseThrow(IssuanceRules::notFound);
        if (coupon.limitsPerUser()) {
            rules.checkUserLimit(coupon, ledger.countHeld(command.userId(), command.couponId()));
        }
        return new IssuedCoupon(ledger.insert(command, now));
    }
}
