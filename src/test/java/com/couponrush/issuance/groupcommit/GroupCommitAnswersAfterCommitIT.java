package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CommitGate;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * "200 means committed", proven rather than hoped for: the test holds a batch's commit (see {@link CommitGate})
 * and looks at its callers. An engine that answered inside the transaction, before the commit, fails here
 * every time.
 */
@IntegrationTest
@Import(CommitGate.class)
// Answers must come from the batch's outcome alone, not from the timer's deadline; and the outage pause
// that a failed commit starts must not refuse the next test's requests (GroupCommitFastRefusalIT covers it).
@TestPropertySource(properties = {"coupon.issuance.group-commit.wait-timeout=60s",
        "coupon.issuance.group-commit.batch-timeout=60s", "coupon.issuance.group-commit.outage-pause=1ms",
        "coupon.issuance.group-commit.max-outage-pause=1ms"})
class GroupCommitAnswersAfterCommitIT {

    private static final int BATCH = 8;
    private static final Duration LOOK = Duration.ofSeconds(1);

    @Autowired
    ApiClient api;
    @Autowired
    CommitGate gate;
    @Autowired
    GroupCommitIssuance engine;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    MeterRegistry meters;

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void openTheGate() {
        gate.open();
        callers.shutdownNow();
    }

    @Test
    void noCallerOfABatchIsAnsweredWhileItsCommitIsHeld() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 100, 1);
        List<Future<Response>> batch = heldBatchOfSeveralCallers(couponId);

        assertStillUnanswered(batch);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);

        gate.letOneCommit();
        for (Future<Response> answer : batch) {
            Response response = answer.get();
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE id = ?", Integer.class,
                    response.data().path("userCouponId").asLong())).isEqualTo(1);
        }
        assertThat(coupons.rows(couponId)).isEqualTo(1 + BATCH).isEqualTo(coupons.issuedCount(couponId));
    }

    /**
     * The gate fails the commit as a lost connection does, after the commit was asked for: the engine cannot know
     * whether the database committed, so it says so (and here, where the gate never sent the commit, nothing is
     * written).
     */
    @Test
    void aCommitWhoseAnswerIsLostAnswersEveryCallerOfItsBatchOutcomeUnknown() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 100, 1);
        List<Future<Response>> batch = heldBatchOfSeveralCallers(couponId);
        double unknownBefore = meters.counter(EngineMeters.OUTCOME_UNKNOWN).count();

        gate.failOne();
        for (Future<Response> answer : batch) {
            Response response = answer.get();
            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(response.reason()).isEqualTo("OUTCOME_UNKNOWN");
            assertThat(response.raw().headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(meters.counter(EngineMeters.OUTCOME_UNKNOWN).count() - unknownBefore).isEqualTo(BATCH);
        System.out.printf("group-commit, commit of a batch of %d lost: all 503, rows %d, counter %d%n", BATCH,
                coupons.rows(couponId), coupons.issuedCount(couponId));
        assertThat(coupons.rows(couponId)).as("only the first batch's row").isEqualTo(1);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
    }

    /**
     * A first request's commit is held while {@value #BATCH} more requests queue behind it; then that commit
     * goes through (its caller gets 200) and the queued requests, all of them one batch, reach their own
     * commit, where the gate holds them. Returns the answers of that second batch.
     */
    private List<Future<Response>> heldBatchOfSeveralCallers(long couponId) throws Exception {
        List<ApiClient.TestUser> users = api.newUsers(1 + BATCH).stream()
                .map(account -> account).toList();
        gate.holdIssuingCommits();
        Future<Response> first = callers.submit(() -> api.issue(users.get(0), couponId));
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 1);

        List<Future<Response>> batch = new ArrayList<>();
        for (ApiClient.TestUser user : users.subList(1, users.size())) {
            batch.add(callers.submit(() -> api.issue(user, couponId)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.queued(couponId) == BATCH);
        assertStillUnanswered(List.of(first));

        gate.letOneCommit();
        assertThat(first.get().status()).as(first.get().toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 1);
        assertThat(engine.queued(couponId)).as("all queued requests went into the held batch").isZero();
        return batch;
    }

    /**
     * The gate holds the commit, so an engine that answers only after it cannot have answered; one that
     * answered before it has, and its HTTP answer arrives well within the second this looks.
     */
    private static void assertStillUnanswered(List<Future<Response>> callers) {
        await("callers of a batch whose commit is held stay unanswered").during(LOOK).atMost(LOOK.multipliedBy(3))
                .until(() -> callers.stream().noneMatch(Future::isDone));
    }
}
