package com.couponrush.issuance;

import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** One request parked in a coupon's lane until the batch that decides it has committed (or failed). */
final class Waiter {

    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    final IssueCommand command;
    private final CompletableFuture<IssuedCoupon> answer = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    Waiter(IssueCommand command) {
        this.command = command;
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

    IssuedCoupon await(Duration timeout, long retryAfterSeconds) {
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException refusal ? refusal : new IllegalStateException(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (state.compareAndSet(QUEUED, WITHDRAWN)) {
                // never decided, never written: the client may simply come back
                throw new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, retryAfterSeconds);
            }
            // in a batch whose commit has not been seen: the outcome is unknown, so never claim success
            throw new RetryableApiException(ErrorCode.STORAGE_UNAVAILABLE, retryAfterSeconds);
        }
    }
}
