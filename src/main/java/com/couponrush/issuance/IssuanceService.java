package com.couponrush.issuance;

import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * The issuance use case around whichever strategy is active: idempotent retries (for strategies that do not
 * resolve keys themselves), and the {@link IssuanceMetrics} (outcome per reason) that dashboards and
 * the console read. Callers that can wait without a thread use {@link #issueAsync}; the blocking {@link #issue}
 * runs the same steps.
 */
@Service
public class IssuanceService {

    // Outcomes only a coupon row can give: the coupon exists, so it may have series of its own.
    private static final Set<String> FROM_A_COUPON_ROW = Set.of(IssuanceMetrics.ISSUED, IssuanceMetrics.IN_LINE,
            ErrorCode.COUPON_NOT_STARTED.name(), ErrorCode.COUPON_ENDED.name(), ErrorCode.COUPON_SOLD_OUT.name(),
            ErrorCode.PER_USER_LIMIT_REACHED.name());

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
        RuntimeException failure = null;
        try {
            Optional<IssuedCoupon> earlier = recordedAnswer(strategy, command);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            try {
                return strategy.issue(command);
            } catch (DataIntegrityViolationException conflict) {
                return replayAfter(conflict, command);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            record(sample, strategy, command, failure);
        }
    }

    /**
     * The issuance as a future: the caller's thread does the admission (and, for strategies that need it, the
     * idempotency read) and is free while the strategy waits for its batch. A refusal completes the future
     * exceptionally with the same {@link ApiException} that {@link #issue} throws (wrapped in a
     * {@link CompletionException} by dependent stages).
     */
    public CompletableFuture<IssuedCoupon> issueAsync(IssueCommand command) {
        IssuanceStrategy strategy = strategies.active();
        Timer.Sample sample = Timer.start(meters);
        CompletableFuture<IssuedCoupon> answer;
        try {
            Optional<IssuedCoupon> earlier = recordedAnswer(strategy, command);
            answer = earlier.isPresent() ? CompletableFuture.completedFuture(earlier.get())
                    : pending(strategy, command).exceptionally(failure -> {
                        // rare (a key raced on another instance), and then one indexed read on the completing thread
                        if (FailedAnswer.causeOf(failure) instanceof DataIntegrityViolationException conflict) {
                            return replayAfter(conflict, command);
                        }
                        throw failure instanceof CompletionException wrapped ? wrapped : new FailedAnswer(failure);
                    });
        } catch (RuntimeException failure) {
            answer = CompletableFuture.failedFuture(new FailedAnswer(failure));
        }
        return answer.whenComplete((issued, failure) -> record(sample, strategy, command, FailedAnswer.causeOf(failure)));
    }

    /**
     * A synchronous strategy is called through {@link IssuanceStrategy#issue} on its proxy, where its transaction
     * and lock are: run from a default method of the strategy itself, they would silently not apply.
     */
    private static CompletableFuture<IssuedCoupon> pending(IssuanceStrategy strategy, IssueCommand command) {
        if (strategy.answersAsynchronously()) {
            return strategy.issueAsync(command);
        }
        try {
            return CompletableFuture.completedFuture(strategy.issue(command));
        } catch (RuntimeException refusal) {
            return CompletableFuture.failedFuture(refusal);
        }
    }

    /**
     * A retry whose key is already on record gets the first answer without asking the strategy again; a key on
     * record for another coupon is a client error. Strategies that resolve keys in their own transaction skip this.
     */
    private Optional<IssuedCoupon> recordedAnswer(IssuanceStrategy strategy, IssueCommand command) {
        if (command.idempotencyKey() == null || strategy.resolvesIdempotencyKeys()) {
            return Optional.empty();
        }
        return recorded(command);
    }

    /** A concurrent retry with the same key won the insert: answer with its row, or report the conflict. */
    private IssuedCoupon replayAfter(DataIntegrityViolationException conflict, IssueCommand command) {
        if (command.idempotencyKey() == null) {
            throw conflict;
        }
        return recorded(command).orElseThrow(() -> conflict);
    }

    private Optional<IssuedCoupon> recorded(IssueCommand command) {
        return ledger.findByIdempotencyKey(command.userId(), command.idempotencyKey()).map(row -> {
            ErrorCode reused = IssuancePolicy.replayOf(row, command.couponId());
            if (reused != null) {
                throw new ApiException(reused);
            }
            return new IssuedCoupon(row.userCouponId());
        });
    }

    private void record(Timer.Sample sample, IssuanceStrategy strategy, IssueCommand command,
                        @Nullable Throwable failure) {
        String outcome = failure == null ? IssuanceMetrics.ISSUED
                : failure instanceof InLine ? IssuanceMetrics.IN_LINE
                : failure instanceof ApiException refusal ? refusal.errorCode().name() : "ERROR";
        sample.stop(meters.timer(IssuanceMetrics.TIMER, IssuanceMetrics.STRATEGY_TAG, strategy.name(),
                IssuanceMetrics.OUTCOME_TAG, outcome,
                IssuanceMetrics.COUPON_TAG, couponTag(command.couponId(), outcome)));
    }

    private String couponTag(long couponId, String outcome) {
        if (FROM_A_COUPON_ROW.contains(outcome)) {
            couponsSeen.add(couponId);
            return Long.toString(couponId);
        }
        return couponsSeen.contains(couponId) ? Long.toString(couponId) : IssuanceMetrics.UNKNOWN_COUPON;
    }
}
