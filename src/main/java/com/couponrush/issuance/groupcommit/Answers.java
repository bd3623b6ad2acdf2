package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssuedCoupon;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A batch's answers: decided by its {@link BatchRunner}, handed out by its drainer once the lane is let go.
 *
 * <p>Why not answer on the spot: handing out an answer runs the caller's continuation on the handing thread (on
 * platform threads, the container's dispatch of the answer), and under a crowd, with the CPU shared among every
 * runnable request thread, a batch of hundreds takes a while to hand out. The lane's next batch need not wait for
 * it: another drainer runs it meanwhile. Nothing is handed out before the batch's outcome is known.
 */
final class Answers implements PlaceAnswers.Recipient {

    /** One request's answer: the coupon it got, or why not. */
    private record Answer(Waiter waiter, @Nullable IssuedCoupon issued, @Nullable RuntimeException refusal) {
    }

    private final List<Answer> decided = new ArrayList<>();

    @Override
    public void succeed(Waiter waiter, IssuedCoupon issued) {
        decided.add(new Answer(waiter, issued, null));
    }

    @Override
    public void fail(Waiter waiter, RuntimeException refusal) {
        decided.add(new Answer(waiter, null, refusal));
    }

    void failAll(List<Waiter> batch, RuntimeException refusal) {
        for (Waiter waiter : batch) {
            fail(waiter, refusal);
        }
    }

    /** Hands out every answer, in the order decided. */
    void give() {
        for (Answer answer : decided) {
            if (answer.refusal() == null) {
                answer.waiter().succeed(answer.issued());
            } else {
                answer.waiter().fail(answer.refusal());
            }
        }
    }
}
