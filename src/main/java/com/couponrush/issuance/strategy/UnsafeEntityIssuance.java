package com.couponrush.issuance.strategy;

import com.couponrush.coupon.Coupon;
import com.couponrush.coupon.CouponRepository;
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
 * The seed's original issuance, kept to reproduce its anomaly: the counter is read into the entity,
 * changed in memory and written back at flush, with no lock. Two transactions that read the same count
 * both write count + 1, so increments are lost; on InnoDB the user_coupon insert first takes a shared lock
 * on the coupon row (foreign-key check) and the flush then needs an exclusive one, so racing transactions
 * also deadlock, as the seed saw on MySQL.
 */
@Component
class UnsafeEntityIssuance implements IssuanceStrategy {

    static final String NAME = "none";

    private final CouponRepository coupons;
    private final IssuanceLedger ledger;
    private final Clock clock;

    UnsafeEntityIssuance(CouponRepository coupons, IssuanceLedger ledger, Clock clock) {
        this.coupons = coupons;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean safe() {
        return false;
    }

    @Override
    @Transactional
    public IssuedCoupon issue(IssueCommand command) {
        LocalDateTime now = LocalDateTime.now(clock);
        Coupon coupon = coupons.findById(command.couponId()).orElseThrow(SerialisedIssue::notFound);
        CouponSnapshot snapshot = new CouponSnapshot(coupon.getId(), coupon.getQuantity(), coupon.getIssuedCount(),
                coupon.getPerUserLimit(), coupon.getStartDate(), coupon.getEndDate(), coupon.isPaused());
        ErrorCode refusal = IssuancePolicy.refusal(snapshot, now, snapshot.remaining(),
                () -> ledger.countHeld(command.userId(), command.couponId()));
        if (refusal != null) {
            throw new ApiException(refusal);
        }
        coupon.issueOne();
        coupons.save(coupon);
        return new IssuedCoupon(ledger.insert(command.couponId(), command.userId(), command.idempotencyKey(), now));
    }
}
