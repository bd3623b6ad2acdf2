package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ConcurrentIssues;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.DirectDataSource;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

/**
 * One place per person from a lane's first request: at a rush's opening, before any batch has told the lane the
 * coupon's per-user limit, a user with hundreds of connections still holds one place in the line, so the people
 * behind are all decided instead of being turned away from a line the greedy filled. The opening is held open
 * by the test: the coupon's row is taken by a session of its own until every request has reached the service,
 * so the lane's first batch cannot learn anything before the whole crowd is in line. Needs row locks of a real
 * server.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"coupon.issuance.group-commit.max-queue=" + GroupCommitOnePlaceIT.MAX_QUEUE,
        "coupon.issuance.group-commit.wait-timeout=30s", "coupon.issuance.group-commit.batch-timeout=30s"})
class GroupCommitOnePlaceIT {

    static final int MAX_QUEUE = 200;
    private static final int QUANTITY = 1_000;
    private static final int OTHERS = 100;

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Environment environment;

    @Test
    void oneUserWithFiveHundredConnectionsAtTheOpeningTakesOneCouponAndEveryOneOfTheHundredOthersIsDecided()
            throws Exception {
        rushAtTheOpening(1, 500);
    }

    /** Four people holding a place per connection would fill the line of {@value #MAX_QUEUE} by themselves. */
    @Test
    void fourUsersWithAHundredAndTwentyFiveConnectionsEachAtTheOpeningLeaveTheLineToTheHundredOthers()
            throws Exception {
        rushAtTheOpening(4, 125);
    }

    private void rushAtTheOpening(int greedyUsers, int connectionsEach) throws Exception {
        long couponId = coupons.openCoupon(QUANTITY, 1);
        List<ApiClient.TestUser> users = api.newUsers(greedyUsers + OTHERS);
        List<ApiClient.TestUser> greedy = users.subList(0, greedyUsers);
        List<ApiClient.TestUser> attempts = new ArrayList<>();
        for (int connection = 0; connection < connectionsEach; connection++) {
            attempts.addAll(greedy);
        }
        attempts.addAll(users.subList(greedyUsers, users.size()));

        ConcurrentIssues rush;
        long arrivedMillis;
        try (HeldCouponRow held = HeldCouponRow.hold(DirectDataSource.of(environment), couponId)) {
            long sent = System.nanoTime();
            rush = ConcurrentIssues.send(api, attempts, couponId);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> rush.answeredSoFar().size() + requestsInService() == attempts.size());
            arrivedMillis = (System.nanoTime() - sent) / 1_000_000;
        }
        List<Response> answers;
        try (rush) {
            answers = rush.all();
        }

        Map<Long, Map<String, Integer>> greedyOutcomes = new TreeMap<>();
        Map<String, Integer> othersOutcomes = new TreeMap<>();
        int successes = 0;
        for (int i = 0; i < attempts.size(); i++) {
            Response answer = answers.get(i);
            String heard = answer.status() == 200 ? "200" : answer.reason();
            successes += answer.status() == 200 ? 1 : 0;
            long userId = attempts.get(i).id();
            if (i < greedyUsers * connectionsEach) {
                greedyOutcomes.computeIfAbsent(userId, id -> new TreeMap<>()).merge(heard, 1, Integer::sum);
            } else {
                othersOutcomes.merge(heard, 1, Integer::sum);
            }
            if (answer.reason().equals("ALREADY_IN_LINE")) {
                assertThat(answer.status()).isEqualTo(429);
                assertThat(answer.raw().headers().firstValue("Retry-After")).isPresent();
            }
        }
        List<Long> holders = coupons.holders(couponId);
        System.out.printf("group-commit at the opening, queue %d: %d user(s) x %d connections and %d others x 1 on %d"
                        + " coupons with a limit of 1 (all in line after %d ms): greedy %s, others %s; rows %d,"
                        + " counter %d%n", MAX_QUEUE, greedyUsers, connectionsEach, OTHERS, QUANTITY, arrivedMillis,
                greedyOutcomes, othersOutcomes, holders.size(), coupons.issuedCount(couponId));

        assertThat(othersOutcomes).as("every one of the others decided, none turned away").isEqualTo(
                Map.of("200", OTHERS));
        for (ApiClient.TestUser user : greedy) {
            Map<String, Integer> heard = greedyOutcomes.get(user.id());
            assertThat(heard.get("200")).as("user %d: %s", user.id(), heard).isEqualTo(1);
            assertThat(heard.keySet()).as("user %d", user.id())
                    .isSubsetOf("200", "PER_USER_LIMIT_REACHED", "ALREADY_IN_LINE");
            assertThat(holders.stream().filter(holder -> holder == user.id()).count()).isEqualTo(1);
        }
        assertThat(holders).hasSize(successes).hasSize(greedyUsers + OTHERS);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(successes);
    }

    /**
     * Requests the service has begun and not yet answered (the HTTP server's own observation): with the
     * answered ones, every request sent has reached the service.
     */
    private int requestsInService() {
        return meters.find("http.server.requests.active").longTaskTimers().stream()
                .mapToInt(LongTaskTimer::activeTasks).sum();
    }
}
