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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** A full lane answers at once with 503 and Retry-After instead of letting requests pile up behind the lock. */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"coupon.issuance.group-commit.max-queue=8",
        "coupon.issuance.group-commit.max-batch=8",
        "coupon.issuance.group-commit.batch-timeout=30s", "coupon.issuance.group-commit.wait-timeout=30s"})
class GroupCommitSaturationIT {

    private static final int BURST = 60;

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;

    @Test
    void aBurstBeyondTheQueueGetsRetryAfterAndTheRestExactCounts() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 1);
        List<ApiClient.TestUser> users = api.newUsers(BURST);
        ExecutorService threads = Executors.newFixedThreadPool(BURST);
        List<Future<Response>> answers = new ArrayList<>();
        // While the row is held, the lane can hold one batch in flight plus a full queue: 16 at most.
        int mostAccepted = 16;
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            for (ApiClient.TestUser user : users) {
                answers.add(threads.submit(() -> api.issue(
                        user, couponId)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> answers.stream().filter(Future::isDone).count()
                    >= BURST - mostAccepted);
            for (Future<Response> answer : answers) {
                if (answer.isDone()) {
                    Response overflow = answer.get();
                    assertThat(overflow.status()).as(overflow.toString()).isEqualTo(503);
                    assertThat(overflow.reason()).isEqualTo("SERVICE_OVERLOADED");
                    assertThat(overflow.raw().headers().firstValue("Retry-After")).hasValue("1");
                }
            }
        } finally {
            threads.shutdown();
        }

        int issued = 0;
        int overloaded = 0;
        for (Future<Response> answer : answers) {
            Response response = answer.get();
            if (response.status() == 200) {
                issued++;
            } else {
                assertThat(response.reason()).as(response.toString()).isEqualTo("SERVICE_OVERLOADED");
                overloaded++;
            }
        }
        int rows = coupons.rows(couponId);
        int counter = coupons.issuedCount(couponId);
        System.out.printf("group-commit saturation, burst of %d on a queue of 8: issued %d, overloaded %d, rows %d,"
                + " counter %d%n", BURST, issued, overloaded, rows, counter);
        assertThat(issued + overloaded).isEqualTo(BURST);
        assertThat(overloaded).isGreaterThanOrEqualTo(BURST - mostAccepted);
        assertThat(issued).isPositive();
        assertThat(rows).isEqualTo(issued);
        assertThat(counter).isEqualTo(issued);
    }
}
