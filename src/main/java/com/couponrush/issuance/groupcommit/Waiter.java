package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.FailedAnswer;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One request and its answer. While QUEUED it may be withdrawn at its deadline (nothing was written for it);
 * once a batch has CLAIMED it, only that batch's outcome answers it, however long the batch takes within its
 * own time limit: an answer given before the outcome is known could be untrue.
 */
final class Waiter {

    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    final IssueCommand command;
    final long deadlineNanos;
    private final CompletableFuture<IssuedCoupon> answer = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    // Runs before any answer is visible, so that a caller who comes straight back finds its place (and its key)
    // already given up. Set only by the thread that owns the waiter before it is published to others.
    private Runnable beforeAnswer;

    /** @param deadlineNanos the {@link System#nanoTime()} after which a request still queued is withdrawn */
    Waiter(IssueCommand command, long deadlineNanos) {
        this.command = command;
        this.deadlineNanos = deadlineNanos;
    }

    /** A batch takes the request; false if it was already withdrawn, so it must not be issued. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    /** The deadline's call: true if the request was still queued and is now withdrawn; the caller answers it. */
    boolean withdrawIfOverdue(long nowNanos) {
        return overdue(nowNanos) && state.compareAndSet(QUEUED, WITHDRAWN);
    }

    boolean overdue(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    /** Idempotent; only before the waiter is published to another thread (see the field). */
    void beforeAnswer(Runnable hook) {
        Runnable earlier = beforeAnswer;
        beforeAnswer = earlier == null ? hook : () -> {
            earlier.run();
            hook.run();
        };
    }

    void succeed(IssuedCoupon issued) {
        runBeforeAnswer();
        answer.complete(issued);
    }

    void fail(RuntimeException refusal) {
        runBeforeAnswer();
        answer.completeExceptionally(new FailedAnswer(refusal));
    }

    boolean answered() {
        return answer.isDone();
    }

    /** Runs once the waiter is answered, on the answering thread. */
    void whenAnswered(BiConsumer<IssuedCoupon, Throwable> then) {
        answer.whenComplete((issued, failure) -> then.accept(issued, failure == null ? null : FailedAnswer.causeOf(failure)));
    }

    /** Gives this waiter exactly the other's answer: for a retry with the same idempotency key. */
    void answerAs(Waiter other) {
        other.whenAnswered((issued, failure) -> {
            if (failure == null) {
                succeed(issued);
            } else {
                fail(asRuntime(failure));
            }
        });
    }

    /**
     * The answer for a caller that does not park: a copy, so that nothing but the engine can complete the waiter
     * itself (completing it from outside would skip the claim, and a batch could still issue).
     */
    CompletableFuture<IssuedCoupon> answer() {
        return answer.copy();
    }

    /**
     * For a caller that parks. Every waiter is answered within the engine's bound, which the caller passes; the
     * bound here only keeps a thread from waiting for ever should that promise ever be broken.
     */
    IssuedCoupon await(long boundNanos) throws TimeoutException {
        try {
            return answer.get(boundNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw asRuntime(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for the answer");
        }
    }

    private void runBeforeAnswer() {
        Runnable hook = beforeAnswer;
        if (hook != null && !answer.isDone()) {
            hook.run();
        }
    }

    static RuntimeException asRuntime(Throwable failure) {
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }
}
