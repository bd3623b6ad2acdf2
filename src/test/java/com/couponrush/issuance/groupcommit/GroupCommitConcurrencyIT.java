package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.issuance.IssuanceService;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestUsers;
import com.couponrush.web.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;

/**
 * The seed's experiment and its harder cousins against group-commit on a real database server. A small
 * max-batch makes every run cross many batches; the long timeouts let the arrival-order test hold the
 * coupon row lock while it lines requests up.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"coupon.issuance.group-commit.max-batch=16",
        "coupon.issuance.group-commit.batch-timeout=30s", "coupon.issuance.group-commit.wait-timeout=30s"})
class GroupCommitConcurrencyIT {

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    IssuanceService issuance;
    @Autowired
    GroupCommitIssuance engine;

    private final ExecutorService threads = Executors.newFixedThreadPool(200);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void tenThousandCouponsTenThreadsThousandAttempts() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 10_000, 0);
        long userId = TestUsers.insert(jdbc, encoder, 1).get(0);
        int before = issuedCount(couponId);
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger exceptions = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            workers.add(threads.submit(() -> {
                start.await();
                for (int attempt = 0; attempt < 1_000; attempt++) {
                    try {
                        issuance.issue(new IssueCommand(couponId, userId, null));
                        successes.incrementAndGet();
                    } catch (RuntimeException e) {
                        exceptions.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get();
        }

        int rows = rows(couponId);
        int counterChange = issuedCount(couponId) - before;
        System.out.printf("group-commit seed experiment: successes %d, exceptions %d, rows %d, counter change %d%n",
                successes.get(), exceptions.get(), rows, counterChange);
        assertThat(exceptions.get()).isZero();
        assertThat(successes.get()).isEqualTo(10_000);
        assertThat(rows).isEqualTo(successes.get());
        assertThat(counterChange).isEqualTo(successes.get());
    }

    @Test
    void hundredCouponsThousandConcurrentUsersSellOutExactly() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 100, 1);
        List<ApiClient.TestUser> users = api.newUsers(1_000);

        Map<String, Integer> outcomes = concurrently(users.size(), i -> {
            ApiClient.TestUser user = users.get(i);
            return api.issue(user, couponId);
        });

        System.out.println("group-commit sell-out, 1,000 users for 100 coupons: " + outcomes);
        assertThat(outcomes).isEqualTo(Map.of("200", 100, "COUPON_SOLD_OUT", 900));
        assertThat(rows(couponId)).isEqualTo(100);
        assertThat(issuedCount(couponId)).isEqualTo(100);
    }

    @Test
    void oneUserTwoHundredConcurrentAttemptsWithLimitOneGetsExactlyOne() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 1);
        ApiClient.TestUser user = api.newUsers(1).get(0);
        ApiClient.TestUser caller = user;

        Map<String, Integer> outcomes = concurrently(200, i -> api.issue(caller, couponId));

        System.out.println("group-commit per-user limit 1, 200 concurrent attempts: " + outcomes);
        assertThat(outcomes).isEqualTo(Map.of("200", 1, "PER_USER_LIMIT_REACHED", 199));
        assertThat(rows(couponId)).isEqualTo(1);
        assertThat(issuedCount(couponId)).isEqualTo(1);
    }

    /**
     * While a transaction holds the coupon row, 200 requests line up one by one, so their arrival order is
     * known; once the row is free they are decided in batches of 16 and the winners must be exactly the
     * first 50 arrivals.
     */
    @Test
    void winnersAreExactlyTheFirstArrivals() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 50, 0);
        List<Long> users = TestUsers.insert(jdbc, encoder, 200);
        List<Future<Boolean>> answers = new ArrayList<>();
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            for (int arrival = 0; arrival < users.size(); arrival++) {
                long userId = users.get(arrival);
                answers.add(threads.submit(() -> wins(new IssueCommand(couponId, userId, null))));
                long arrived = arrival + 1;
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> engine.arrivals(couponId) == arrived);
            }
        }

        List<Integer> winners = new ArrayList<>();
        for (int arrival = 0; arrival < answers.size(); arrival++) {
            if (answers.get(arrival).get()) {
                winners.add(arrival);
            }
        }
        int inversions = 0;
        for (int winner : winners) {
            for (int earlier = 0; earlier < winner; earlier++) {
                inversions += winners.contains(earlier) ? 0 : 1;
            }
        }
        System.out.printf("group-commit arrival order: %d winners of 200, fairness inversions %d%n",
                winners.size(), inversions);
        assertThat(winners).hasSize(50).isEqualTo(java.util.stream.IntStream.range(0, 50).boxed().toList());
        assertThat(inversions).isZero();
        assertThat(rows(couponId)).isEqualTo(50);
    }

    private boolean wins(IssueCommand command) {
        try {
            issuance.issue(command);
            return true;
        } catch (ApiException refusal) {
            assertThat(refusal.errorCode().name()).isEqualTo("COUPON_SOLD_OUT");
            return false;
        }
    }

    private interface Call {
        Response send(int index);
    }

    /** Fires the calls from 200 threads released together; outcome is "200" or the refusal reason. */
    private Map<String, Integer> concurrently(int calls, Call call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> responses = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int index = i;
            responses.add(threads.submit(() -> {
                start.await();
                return call.send(index);
            }));
        }
        start.countDown();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Future<Response> response : responses) {
            Response answer = response.get();
            outcomes.merge(answer.status() == 200 ? "200" : answer.reason(), 1, Integer::sum);
        }
        return outcomes;
    }

    int rows(long couponId) {
        return coupons.rows(couponId);
    }

    int issuedCount(long couponId) {
        return coupons.issuedCount(couponId);
    }
}
