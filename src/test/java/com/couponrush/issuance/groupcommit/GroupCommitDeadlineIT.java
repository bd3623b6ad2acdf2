package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestUsers;
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
 * Waiting requests park without a timer of their own; the engine's watchdog must still answer each one by its
 * wait-timeout, whether it is queued or inside a batch that the database holds up, and only the latter may
 * have been issued.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"coupon.issuance.group-commit.max-batch=8",
        "coupon.issuance.group-commit.wait-timeout=1s", "coupon.issuance.group-commit.batch-timeout=60s"})
class GroupCommitDeadlineIT {

    private static final int REQUESTS = 20;
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(1);

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;

    private record Timed(long userId, Response response, long nanos) {
    }

    @Test
    void requestsHeldUpByTheDatabaseAreAnsweredAtTheirDeadlineAndOnlyTheBatchInFlightMayBeIssued() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 1);
        List<ApiClient.TestUser> users = api.newUsers(REQUESTS);
        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        List<Future<Timed>> answers = new ArrayList<>();
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            for (ApiClient.TestUser user : users) {
                answers.add(threads.submit(() -> {
                    long started = System.nanoTime();
                    Response response = api.issue(user,
                            couponId);
                    return new Timed(user.id(), response, System.nanoTime() - started);
                }));
            }
            // The row stays locked far beyond the wait-timeout and the batch's own timeout is a minute:
            // only the watchdog can answer these in time.
            await().atMost(Duration.ofSeconds(15)).until(() -> answers.stream().allMatch(Future::isDone));
        } finally {
            threads.shutdown();
        }

        Set<Long> outcomeUnknown = new HashSet<>();
        int neverDecided = 0;
        for (Future<Timed> answer : answers) {
            Timed timed = answer.get();
            assertThat(timed.response().status()).as(timed.response().toString()).isEqualTo(503);
            assertThat(timed.response().raw().headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Duration.ofNanos(timed.nanos())).as("answered no earlier than the deadline")
                    .isGreaterThanOrEqualTo(WAIT_TIMEOUT);
            switch (timed.response().reason()) {
                case "STORAGE_UNAVAILABLE" -> outcomeUnknown.add(timed.userId());
                case "SERVICE_OVERLOADED" -> neverDecided++;
                default -> throw new AssertionError("unexpected answer " + timed.response());
            }
        }
        assertThat(outcomeUnknown).as("the batch held up by the lock").isNotEmpty().hasSizeLessThanOrEqualTo(8);
        assertThat(neverDecided).as("the requests queued behind it").isGreaterThanOrEqualTo(REQUESTS - 8);

        // Released, the held-up batch commits; the callers who were told "never decided" get nothing.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(coupons.issuedCount(couponId))
                .isEqualTo(outcomeUnknown.size()));
        List<Long> holders = coupons.holders(couponId);
        System.out.printf("group-commit deadlines: %d answered outcome-unknown, %d never decided, %d rows%n",
                outcomeUnknown.size(), neverDecided, holders.size());
        assertThat(new HashSet<>(holders)).hasSize(holders.size()).isEqualTo(outcomeUnknown);
    }
}
