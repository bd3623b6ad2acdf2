package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssuedCoupon;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's answers: decided by its {@link BatchRunner}, handed out by its drainer once the lane is let go.
 *
 * <p>Why not answer on the spot: handing out an answer runs the caller's continuation on the handing thread (on
 * platform threads, the container's dispatch of the answer), and under a crowd, with the CPU shared among every
 * runnable request thread, a batch of hundreds takes a while to hand out. The lane's next batch need not wait for
 * it: another drainer runs it meanwhile. Nothing is handed out before the batch's outcome is known.
 */
final class Answers {

    private final List<Waiter> waiters = new ArrayList<>();
    private final List<Object> outcomes = new ArrayList<>();

    void succeed(Waiter waiter, IssuedCoupon issued) {
        waiters.add(waiter);
        outcomes.add(issued);
    }

    void fail(Waiter waiter, RuntimeException refusal) {
        waiters.add(waiter);
        outcomes.add(refusal);
    }

    void failAll(List<Waiter> batch, RuntimeException refusal) {
        for (Waiter waiter : batch) {
            fail(waiter, refusal);
        }
    }

    /** Hands out every answer, in the order decided. */
    void give() {
        for (int i = 0; i < waiters.size(); i++) {
            if (outcomes.get(i) instanceof IssuedCoupon issued) {
                waiters.get(i).succeed(issued);
            } else {
                waiters.get(i).fail((RuntimeException) outcomes.get(i));
            }
        }
    }
}
