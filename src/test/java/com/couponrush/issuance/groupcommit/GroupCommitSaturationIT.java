package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.ConcurrentIssues;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;

    @Test
    void aBurstBeyondTheQueueGetsRetryAfterAndTheRestExactCounts() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 1);
        List<ApiClient.TestUser> users = api.newUsers(BURST);
        // While the row is held, the lane can hold one batch in flight plus a full queue: 16 at most.
        int mostAccepted = 16;
        ConcurrentIssues rush;
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            rush = ConcurrentIssues.send(api, users, couponId);
            rush.awaitAnswered(BURST - mostAccepted, Duration.ofSeconds(20));
            assertThat(rush.answeredSoFar()).allSatisfy(ConcurrentIssues::assertTurnedAway);
        }
        List<Response> answers;
        try (rush) {
            answers = rush.all();
        }

        int issued = 0;
        int overloaded = 0;
        for (Response response : answers) {
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
