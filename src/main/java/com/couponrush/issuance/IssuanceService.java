package com.couponrush.issuance;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * The issuance use case around whichever strategy is active: idempotent retries (for strategies that do not
 * resolve keys themselves), and the {@code coupon.issuance} metrics (outcome per reason) that dashboards and
 * the console read.
 */
@Service
public class IssuanceService {

    static final String METRIC = "coupon.issuance";
    static final String ISSUED = "ISSUED";
    /** The coupon tag of attempts for a coupon not known to exist: clients choose ids, not series. */
    static final String UNKNOWN_COUPON = "unknown";

    // Outcomes only a coupon row can give: the coupon exists, so it may have series of its own.
    private static final Set<String> FROM_A_COUPON_ROW = Set.of(ISSUED, ErrorCode.COUPON_NOT_STARTED.name(),
            ErrorCode.COUPON_ENDED.name(), ErrorCode.COUPON_SOLD_OUT.name(), ErrorCode.PER_USER_LIMIT_REACHED.name());

    private final IssuanceStrategies strategies;
    private final IssuanceLedger ledger;
    private final MeterRegistry meters;
    // Grows only with coupons an admin created and someone asked for.
    private final Set<Long> couponsSeen = ConcurrentHashMap.newKeySet();

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
            return strategy.resolvesIdempotencyKeys() ? strategy.issue(command) : issueOnce(strategy, command);
        } catch (ApiException refusal) {
            outcome = refusal.errorCode().name();
            throw refusal;
        } catch (RuntimeException failure) {
            outcome = "ERROR";
            throw failure;
        } finally {
            sample.stop(meters.timer(METRIC, "strategy", strategy.name(), "outcome", outcome,
                    "coupon", couponTag(command.couponId(), outcome)));
        }
    }

    private String couponTag(long couponId, String outcome) {
        if (FROM_A_COUPON_ROW.contains(outcome)) {
            couponsSeen.add(couponId);
            return Long.toString(couponId);
        }
        return couponsSeen.contains(couponId) ? Long.toString(couponId) : UNKNOWN_COUPON;
    }

    private IssuedCoupon issueOnce(IssuanceStrategy strategy, IssueCommand command) {
        if (command.idempotencyKey() == null) {
            return strategy.issue(command);
        }
        Optional<IssuedCoupon> earlier = earlierAnswer(command);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        try {
            return strategy.issue(command);
        } catch (DataIntegrityViolationException concurrentRequestWithSameKey) {
            return earlierAnswer(command).orElseThrow(() -> concurrentRequestWithSameKey);
        }
    }

    /** The row recorded under the request's key; a key recorded for another coupon is a client error. */
    private Optional<IssuedCoupon> earlierAnswer(IssueCommand command) {
        return ledger.findByIdempotencyKey(command.userId(), command.idempotencyKey()).map(recorded -> {
            if (recorded.couponId() != command.couponId()) {
                throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED);
            }
            return new IssuedCoupon(recorded.userCouponId());
        });
    }
}
