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
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * On platform threads (Java 17) the engine's queue bound must be reachable: a request waiting for its batch
 * holds no Tomcat thread, so with far fewer threads than waiting requests the overflow still gets its place in the
 * coupon's waiting line at once (202, Location, Retry-After), instead of queueing in Tomcat until the wait-timeout.
 * The batches held up meanwhile take places behind them once they get the row. Answers completed after the request
 * was handed to servlet async come out of its second dispatch, which Spring Security's filters do not see again:
 * they still carry its headers, the 202s' Location and Retry-After too.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"spring.threads.virtual.enabled=false",
        "server.tomcat.threads.max=" + GroupCommitBackpressureIT.TOMCAT_THREADS,
        "server.tomcat.threads.min-spare=2",
        "coupon.issuance.group-commit.max-queue=" + GroupCommitBackpressureIT.MAX_QUEUE,
        "coupon.issuance.group-commit.max-batch=" + GroupCommitBackpressureIT.MAX_QUEUE,
        "coupon.issuance.group-commit.wait-timeout=60s", "coupon.issuance.group-commit.batch-timeout=60s"})
class GroupCommitBackpressureIT {

    static final int TOMCAT_THREADS = 8;
    static final int MAX_QUEUE = 20;
    private static final int REQUESTS = 100;
    /** Far below the 60 s wait-timeout: only an answer that did not wait for the batch arrives in time. */
    private static final Duration FAST = Duration.ofSeconds(20);

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;

    @Test
    void hundredRequestsOnEightTomcatThreadsOverflowTheQueueIntoTheLineAtOnce() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 1);
        List<ApiClient.TestUser> users = api.newUsers(REQUESTS);
        // While the row is held: one batch in flight (at most max-batch) plus a full queue.
        int mostAccepted = 2 * MAX_QUEUE;
        long overflowAnsweredNanos;
        int heldUp;
        ConcurrentIssues rush;
        coupons.openLine(couponId);
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            rush = ConcurrentIssues.send(api, users, couponId);
            long started = System.nanoTime();
            rush.awaitAnswered(REQUESTS - mostAccepted, FAST);
            overflowAnsweredNanos = System.nanoTime() - started;
            List<Response> overflow = rush.answeredSoFar();
            assertThat(overflow).allSatisfy(answer -> ConcurrentIssues.assertGivenAPlace(answer, couponId));
            heldUp = REQUESTS - overflow.size();
        }
        List<Response> answers;
        try (rush) {
            answers = rush.all();
        }

        int issued = 0;
        int placed = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Response response = answers.get(i);
            assertThat(response.raw().headers().firstValue("X-Content-Type-Options"))
                    .as("Spring Security's headers on every answer, written in the request's first pass")
                    .hasValue("nosniff");
            assertThat(response.raw().headers().firstValue("Cache-Control")).hasValueSatisfying(
                    cacheControl -> assertThat(cacheControl).contains("no-store"));
            if (response.status() == 200) {
                issued++;
                assertThat(coupons.ownerOf(response.data().path("userCouponId").asLong()))
                        .as("issued to the caller of the asynchronous request").isEqualTo(users.get(i).id());
            } else {
                ConcurrentIssues.assertGivenAPlace(response, couponId);
                placed++;
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> coupons.placesWaiting(couponId) == 0);
        int rows = coupons.rows(couponId);
        int counter = coupons.issuedCount(couponId);
        System.out.printf("group-commit backpressure, %d requests on %d Tomcat threads, queue %d: overflow answered"
                        + " in %d ms; issued %d, places %d, rows %d, counter %d%n", REQUESTS, TOMCAT_THREADS,
                MAX_QUEUE, overflowAnsweredNanos / 1_000_000, issued, placed, rows, counter);
        assertThat(issued + placed).isEqualTo(REQUESTS);
        assertThat(placed).isGreaterThanOrEqualTo(REQUESTS - mostAccepted);
        assertThat(heldUp).as("requests waiting for their batch without a Tomcat thread").isGreaterThan(TOMCAT_THREADS);
        assertThat(coupons.idsIssuedToPlaces(couponId)).as("places decided later, every one within the stock")
                .hasSize(placed);
        assertThat(coupons.placeInversions(couponId)).as("issuance order against place order").isZero();
        assertThat(rows).isEqualTo(REQUESTS);
        assertThat(counter).isEqualTo(REQUESTS);
    }
}
