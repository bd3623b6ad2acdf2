package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.ConcurrentIssues;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A full lane hands the overflow to the coupon's waiting line at once (202, a committed place, Location and
 * Retry-After) instead of letting requests pile up behind the lock. The batches held up meanwhile find places
 * waiting once they get the row, and take places behind them: everyone is decided in place order.
 */
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
    void aBurstBeyondTheQueueGetsPlacesAtOnceDecidedLaterInPlaceOrderWithExactCounts() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 1);
        List<ApiClient.TestUser> users = api.newUsers(BURST);
        // While the row is held, the lane can hold one batch in flight plus a full queue: 16 at most.
        int mostAccepted = 16;
        ConcurrentIssues rush;
        coupons.openLine(couponId);
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            rush = ConcurrentIssues.send(api, users, couponId);
            rush.awaitAnswered(BURST - mostAccepted, Duration.ofSeconds(20));
            assertThat(rush.answeredSoFar()).allSatisfy(answer -> ConcurrentIssues.assertGivenAPlace(answer, couponId));
            assertThat(coupons.rows(couponId)).as("nothing issued while the row is held").isZero();
        }
        List<Response> answers;
        try (rush) {
            answers = rush.all();
        }

        int issued = 0;
        List<Long> places = new ArrayList<>();
        for (Response response : answers) {
            if (response.status() == 200) {
                issued++;
            } else {
                ConcurrentIssues.assertGivenAPlace(response, couponId);
                places.add(response.data().path("place").asLong());
            }
        }
        assertThat(places).as("one sequence, no gaps").containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, places.size()).boxed().toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> coupons.placesWaiting(couponId) == 0);
        int rows = coupons.rows(couponId);
        int counter = coupons.issuedCount(couponId);
        System.out.printf("group-commit saturation, burst of %d on a queue of 8: issued %d, places %d, rows %d,"
                + " counter %d%n", BURST, issued, places.size(), rows, counter);
        assertThat(issued + places.size()).isEqualTo(BURST);
        assertThat(places.size()).isGreaterThanOrEqualTo(BURST - mostAccepted);
        assertThat(coupons.idsIssuedToPlaces(couponId)).as("every place within the stock is issued")
                .hasSize(places.size());
        assertThat(coupons.placeInversions(couponId)).as("issuance order against place order").isZero();
        assertThat(rows).isEqualTo(BURST);
        assertThat(counter).isEqualTo(BURST);
    }
}
