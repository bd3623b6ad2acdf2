package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Waiting requests park without a timer of their own; the engine's timer must still withdraw each one still
 * queued at its wait-timeout (nothing written for it), while a request a batch has taken is answered with that
 * batch's outcome even when the outcome comes after its deadline: told "failed" at the deadline, it could be
 * holding the coupon a moment later.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"coupon.issuance.group-commit.max-batch=8",
        "coupon.issuance.group-commit.wait-timeout=1s", "coupon.issuance.group-commit.batch-timeout=20s"})
class GroupCommitDeadlineIT {

    private static final int REQUESTS = 20;
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(1);

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;
    @Autowired
    GroupCommitIssuance engine;

    private record Timed(long userId, Response response, long nanos) {
    }

    @Test
    void queuedRequestsAreWithdrawnAtTheirDeadlineAndTheBatchHeldUpByTheDatabaseHearsItsOutcome() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 1);
        List<ApiClient.TestUser> users = api.newUsers(REQUESTS);
        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        List<Future<Timed>> answers = new ArrayList<>();
        List<Future<Timed>> inTheHeldBatch;
        try {
            try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
                for (ApiClient.TestUser user : users) {
                    answers.add(threads.submit(() -> {
                        long started = System.nanoTime();
                        Response response = api.issue(user, couponId);
                        return new Timed(user.id(), response, System.nanoTime() - started);
                    }));
                }
                // the row stays locked past the wait-timeout: only the timer can answer the queued ones in time
                await().atMost(Duration.ofSeconds(15)).until(() -> engine.arrivals(couponId) == REQUESTS);
                long everyDeadlinePassed = System.nanoTime() + WAIT_TIMEOUT.plusMillis(500).toNanos();
                await().atMost(Duration.ofSeconds(15)).until(() -> System.nanoTime() - everyDeadlinePassed > 0
                        && answers.stream().filter(Future::isDone).count() >= REQUESTS - 8);
                assertThat(engine.batchesInTheDatabase()).isEqualTo(1);
                inTheHeldBatch = answers.stream().filter(answer -> !answer.isDone()).toList();
                assertThat(inTheHeldBatch).as("the batch waiting on the row").isNotEmpty().hasSizeLessThanOrEqualTo(8);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> answers.stream().allMatch(Future::isDone));
        } finally {
            threads.shutdown();
        }

        Set<Long> issued = new HashSet<>();
        int withdrawn = 0;
        for (Future<Timed> answer : answers) {
            Timed timed = answer.get();
            if (inTheHeldBatch.contains(answer)) {
                assertThat(timed.response().status()).as(timed.response().toString()).isEqualTo(200);
                assertThat(Duration.ofNanos(timed.nanos())).as("answered after its deadline, with the outcome")
                        .isGreaterThan(WAIT_TIMEOUT);
                issued.add(timed.userId());
            } else {
                assertThat(timed.response().status()).as(timed.response().toString()).isEqualTo(503);
                assertThat(timed.response().reason()).isEqualTo("SERVICE_OVERLOADED");
                assertThat(timed.response().raw().headers().firstValue("Retry-After")).hasValue("1");
                assertThat(Duration.ofNanos(timed.nanos())).as("answered no earlier than the deadline")
                        .isGreaterThanOrEqualTo(WAIT_TIMEOUT);
                withdrawn++;
            }
        }
        List<Long> holders = coupons.holders(couponId);
        System.out.printf("group-commit deadlines: %d withdrawn at the deadline, %d issued by the held batch, %d rows%n",
                withdrawn, issued.size(), holders.size());
        assertThat(withdrawn).isEqualTo(REQUESTS - issued.size());
        assertThat(new HashSet<>(holders)).hasSize(holders.size()).isEqualTo(issued);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(issued.size());
    }
}
