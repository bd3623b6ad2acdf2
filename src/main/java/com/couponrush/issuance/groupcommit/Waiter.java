package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request parked in a coupon's lane until the batch that decides it has committed (or failed), or until
 * the lane's watchdog answers it at its deadline.
 */
final class Waiter {

    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    final IssueCommand command;
    private final long deadlineNanos;
    private final CompletableFuture<IssuedCoupon> answer = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    // Set by the request's own thread before the waiter is queued; runs before any answer is visible, so a caller
    // that comes straight back finds its place (and its key) already given up.
    private Runnable beforeAnswer;

    /** @param deadlineNanos the {@link System#nanoTime()} by which the caller must have an answer */
    Waiter(IssueCommand command, long deadlineNanos) {
        this.command = command;
        this.deadlineNanos = deadlineNanos;
    }

    /** A batch takes the request; false if its caller already gave up, so it must not be issued. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    /**
     * Runs just before the caller is answered, whoever answers (a batch, the watchdog, a refusal at shutdown);
     * possibly more than once, so it must be idempotent. Only before the waiter is queued.
     */
    void beforeAnswer(Runnable hook) {
        Runnable earlier = beforeAnswer;
        beforeAnswer = earlier == null ? hook : () -> {
            earlier.run();
            hook.run();
        };
    }

    /**
     * A further request of the same user while this one is in line, for a coupon with a per-user limit of one: it
     * gets what a batch would tell it once this one is decided, without a place of its own.
     */
    Waiter follower(IssueCommand command, long retryAfterSeconds) {
        Waiter follower = new Waiter(command, deadlineNanos);
        answer.whenComplete((issued, refusal) -> {
            if (refusal == null) {
                follower.fail(new ApiException(ErrorCode.PER_USER_LIMIT_REACHED));
            } else if (refusal instanceof ApiException api && api.errorCode() == ErrorCode.IDEMPOTENCY_KEY_REUSED) {
                // about the first request's key, not this request: the place is free again
                follower.fail(new RetryableApiException(ErrorCode.ALREADY_IN_LINE, retryAfterSeconds));
            } else {
                follower.fail(refusal instanceof RuntimeException runtime ? runtime : new IllegalStateException(refusal));
            }
        });
        return follower;
    }

    /** Gives this waiter whatever answer the other one gets: for a request answered without a place of its own. */
    void answerAs(Waiter other) {
        other.answer.whenComplete((issued, refusal) -> {
            if (refusal == null) {
                succeed(issued);
            } else {
                fail(refusal instanceof RuntimeException runtime ? runtime : new IllegalStateException(refusal));
            }
        });
    }

    void succeed(IssuedCoupon issued) {
        runBeforeAnswer();
        answer.complete(issued);
    }

    void fail(RuntimeException refusal) {
        runBeforeAnswer();
        answer.completeExceptionally(refusal);
    }

    private void runBeforeAnswer() {
        Runnable hook = beforeAnswer;
        if (hook != null && !answer.isDone()) {
            hook.run();
        }
    }

    /**
     * The answer for a caller that does not park: a copy, so that nothing but a batch or the watchdog can complete
     * the waiter itself (completing it from outside would skip the claim, and the batch could still issue).
     */
    CompletableFuture<IssuedCoupon> answer() {
        return answer.copy();
    }

    /**
     * Parks without a timer: a timed park registers and cancels a timer per request, which cost about 8 % of an
     * issuance's CPU on Java 25. The deadline is kept by {@link #answerIfOverdue} instead.
     */
    IssuedCoupon await(long retryAfterSeconds) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException refusal ? refusal : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw giveUp(retryAfterSeconds);
        }
    }

    /** The watchdog's call: true if the caller was past its deadline and has now been answered. */
    boolean answerIfOverdue(long nowNanos, long retryAfterSeconds) {
        if (!overdue(nowNanos) || answer.isDone()) {
            return false;
        }
        RetryableApiException late = giveUp(retryAfterSeconds);
        runBeforeAnswer();
        return answer.completeExceptionally(late);
    }

    boolean overdue(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    private RetryableApiException giveUp(long retryAfterSeconds) {
        if (state.compareAndSet(QUEUED, WITHDRAWN)) {
            // never decided, never written: the client may simply come back
            return new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, retryAfterSeconds);
        }
        // in a batch whose commit has not been seen: the outcome is unknown, so never claim success
        return new RetryableApiException(ErrorCode.STORAGE_UNAVAILABLE, retryAfterSeconds);
    }
}
