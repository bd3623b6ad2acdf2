package com.couponrush.issuance;

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

    /** @param deadlineNanos the {@link System#nanoTime()} by which the caller must have an answer */
    Waiter(IssueCommand command, long deadlineNanos) {
        this.command = command;
        this.deadlineNanos = deadlineNanos;
    }

    /** A batch takes the request; false if its caller already gave up, so it must not be issued. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    void succeed(IssuedCoupon issued) {
        answer.complete(issued);
    }

    void fail(RuntimeException refusal) {
        answer.completeExceptionally(refusal);
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
        return answer.completeExceptionally(giveUp(retryAfterSeconds));
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
