package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How drainers take turns on a lane, without a database: the batches are decided by the test. */
class DrainersTest {

    private final CouponLane lane = new CouponLane(1, 100);
    private final Waiter first = new Waiter(new IssueCommand(1, 1, null), Long.MAX_VALUE);
    private final Waiter second = new Waiter(new IssueCommand(1, 2, null), Long.MAX_VALUE);
    private final CountDownLatch secondBatchRan = new CountDownLatch(1);
    private final Drainers drainers = new Drainers(EngineSettings.defaults(), (lane, batch) -> {
        if (batch.contains(first)) {
            // arrives while the first batch is being decided, so the lane has a next batch to run
            admit(second);
        } else {
            secondBatchRan.countDown();
        }
        Answers answers = new Answers();
        batch.forEach(waiter -> answers.succeed(waiter, new IssuedCoupon(waiter.command.userId())));
        return answers;
    });

    @AfterEach
    void stop() {
        drainers.shutdown(1_000);
    }

    @Test
    void aLanesNextBatchRunsWhileTheAnswersOfTheLastAreStillBeingHandedOut() throws Exception {
        // The first caller's continuation, run by whoever hands out its answer, waits for the lane's next batch:
        // a drainer that handed out the answers before letting the lane go would wait until the latch gives up.
        CompletableFuture<Boolean> sawTheNextBatch = new CompletableFuture<>();
        first.whenAnswered((issued, failure) -> {
            try {
                sawTheNextBatch.complete(secondBatchRan.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                sawTheNextBatch.completeExceptionally(e);
            }
        });

        admit(first);

        assertThat(sawTheNextBatch.get(10, TimeUnit.SECONDS))
                .as("the next batch ran before the first caller's answer was done").isTrue();
        assertThat(second.await(TimeUnit.SECONDS.toNanos(10)).userCouponId()).isEqualTo(2);
        assertThat(first.await(TimeUnit.SECONDS.toNanos(10)).userCouponId()).isEqualTo(1);
    }

    private void admit(Waiter waiter) {
        assertThat(lane.admit(waiter, 10).kind()).isEqualTo(CouponLane.Admission.Kind.QUEUED);
        if (lane.startDraining()) {
            drainers.schedule(lane);
        }
    }
}
