package com.couponrush.issuance;

import com.couponrush.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * The issuance use case around whichever strategy is active: idempotent retries, and the
 * {@code coupon.issuance} metrics (outcome per reason) that dashboards and the console read.
 */
@Service
public class IssuanceService {

    static final String METRIC = "coupon.issuance";
    static final String ISSUED = "ISSUED";

    private final IssuanceStrategies strategies;
    private final IssuanceLedger ledger;
    private final MeterRegistry meters;

    IssuanceService(IssuanceStrategies strategies, IssuanceLedger ledger, MeterRegistry meters) {
        this.strategies = strategies;
        this.ledger = ledger;
        this.meters = meters;
    }

    public IssuedCoupon issue(IssueCommand command) {
        return issue(strategies.active(), command);
    }

    public IssuedCoupon issue(IssuanceStrategy strategy, IssueCommand command) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = ISSUED;
        try {
            return issueOnce(strategy, command);
        } catch (ApiException refusal) {
            outcome = refusal.errorCode().name();
            throw refusal;
        } catch (RuntimeException failure) {
            outcome = "ERROR";
            throw failure;
        } finally {
            sample.stop(meters.timer(METRIC, "strategy", strategy.name(), "outcome", outcome,
                    "coupon", Long.toString(command.couponId())));
        }
    }

    private IssuedCoupon issueOnce(IssuanceStrategy strategy, IssueCommand command) {
        if (command.idempotencyKey() == null) {
            return strategy.issue(command);
        }
        var earlier = ledger.findByIdempotencyKey(command.userId(), command.idempotencyKey());
        if (earlier.isPresent()) {
            return new IssuedCoupon(earlier.get());
        }
        try {
            return strategy.issue(command);
        } catch (DataIntegrityViolationException concurrentRetryWithSameKey) {
            return ledger.findByIdempotencyKey(command.userId(), command.idempotencyKey())
                    .map(IssuedCoupon::new)
                    .orElseThrow(() -> concurrentRetryWithSameKey);
        }
    }
}
