package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient.TestUser;
import com.couponrush.support.ConcurrentIssues;
import com.couponrush.support.CouponFixtures;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The issuance endpoint hands its overflow to the coupon's waiting line: a burst larger than the lane gets places
 * at once, a place holder who asks again gets the place (then the coupon it got), and no direct batch overtakes a
 * waiting place.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"coupon.issuance.group-commit.max-queue=" + GroupCommitOverflowIT.MAX_QUEUE,
        "coupon.issuance.group-commit.max-batch=" + GroupCommitOverflowIT.MAX_QUEUE,
        "coupon.issuance.group-commit.wait-timeout=30s", "coupon.issuance.group-commit.batch-timeout=30s"})
class GroupCommitOverflowIT {

    static final int MAX_QUEUE = 20;
    private static final int BURST = 300;
    private static final int LATER = 10;
    private static final int QUANTITY = 400;

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void threeHundredOnAQueueOfTwentyGetPlacesAtOnceAndNoDirectIssueOvertakesAWaitingPlace() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), QUANTITY, 1);
        List<TestUser> users = api.newUsers(BURST);
        // While the row is held: one batch in flight plus a full queue; everyone else overflows into the line.
        int mostAccepted = 2 * MAX_QUEUE;
        coupons.openLine(couponId);
        ConcurrentIssues rush;
        TestUser placeHolder;
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            rush = ConcurrentIssues.send(api, users, couponId);
            rush.awaitAnswered(BURST - mostAccepted, Duration.ofSeconds(20));
            List<Response> overflow = rush.answeredSoFar();
            assertThat(overflow).allSatisfy(answer -> ConcurrentIssues.assertGivenAPlace(answer, couponId));
            assertThat(coupons.placesWaiting(couponId)).as("places committed before they are answered")
                    .isGreaterThanOrEqualTo(overflow.size());

            long firstInLine = jdbc.queryForObject("SELECT user_id FROM waiting_place WHERE coupon_id = ?"
                    + " AND place_no = 1", Long.class, couponId);
            placeHolder = users.stream().filter(user -> user.id() == firstInLine).findFirst().orElseThrow();
            Response again = api.issue(placeHolder, couponId);
            ConcurrentIssues.assertGivenAPlace(again, couponId);
            assertThat(again.data().path("place").asLong()).as("asking again returns the same place")
                    .isEqualTo(1);
        }
        List<Response> answers;
        try (rush) {
            answers = rush.all();
        }

        List<Long> places = new ArrayList<>();
        List<Long> directIds = new ArrayList<>();
        for (Response answer : answers) {
            if (answer.status() == 200) {
                directIds.add(answer.data().path("userCouponId").asLong());
            } else {
                ConcurrentIssues.assertGivenAPlace(answer, couponId);
                places.add(answer.data().path("place").asLong());
            }
        }
        assertThat(places).as("one sequence, no gaps").containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, places.size()).boxed().toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> coupons.placesWaiting(couponId) == 0);

        Response issuedNow = api.issue(placeHolder, couponId);
        assertThat(issuedNow.status()).as(issuedNow.toString()).isEqualTo(200);
        assertThat(issuedNow.data().path("userCouponId").asLong()).as("the coupon the place got")
                .isEqualTo(jdbc.queryForObject("SELECT user_coupon_id FROM waiting_place WHERE coupon_id = ?"
                        + " AND user_id = ?", Long.class, couponId, placeHolder.id()));

        // the line decided through: direct issuance again, in arrival order, after every place
        for (TestUser later : api.newUsers(LATER)) {
            Response direct = api.issue(later, couponId);
            assertThat(direct.status()).as(direct.toString()).isEqualTo(200);
            directIds.add(direct.data().path("userCouponId").asLong());
        }

        List<Long> placeIds = coupons.idsIssuedToPlaces(couponId);
        long overtaken = overtakenPlaces(couponId);
        int rows = coupons.rows(couponId);
        int counter = coupons.issuedCount(couponId);
        System.out.printf("group-commit overflow, %d on a queue of %d: places %d, direct %d, rows %d, counter %d,"
                + " place inversions %d, places overtaken %d%n", BURST, MAX_QUEUE, places.size(), directIds.size(),
                rows, counter, coupons.placeInversions(couponId), overtaken);
        assertThat(places.size()).isGreaterThanOrEqualTo(BURST - mostAccepted);
        assertThat(placeIds).as("every place within the stock is issued").hasSize(places.size());
        assertThat(coupons.placeInversions(couponId)).as("issuance order against place order").isZero();
        assertThat(CouponFixtures.inversions(directIds.subList(directIds.size() - LATER, directIds.size())))
                .as("direct winners in arrival order").isZero();
        assertThat(overtaken).as("places given before a direct issue but issued after it").isZero();
        assertThat(rows).isEqualTo(BURST + LATER).isLessThanOrEqualTo(QUANTITY);
        assertThat(counter).isEqualTo(rows);
        assertThat(placeIds.size() + directIds.size()).isEqualTo(rows);
        assertThat(coupons.distinctHolders(couponId)).isEqualTo(rows);
    }

    /**
     * Pairs of a place and a direct issue where the place was given first and issued later. Both times are read
     * under a lock the other waits for (the place's under the line's, the batch's under the coupon's, before it
     * takes the line's), so a place given earlier was committed before the batch looked at the line.
     */
    private long overtakenPlaces(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM waiting_place p"
                + " JOIN user_coupon d ON d.coupon_id = p.coupon_id WHERE p.coupon_id = ? AND p.status = 'ISSUED' AND p.created_at < d.created_at"
                + " AND p.user_coupon_id > d.id"
                + " AND NOT EXISTS (SELECT 1 FROM waiting_place q WHERE q.user_coupon_id = d.id)",
                Long.class, couponId);
    }
}
