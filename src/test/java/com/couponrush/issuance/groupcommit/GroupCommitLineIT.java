package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.issuance.IssuanceMetrics;
import com.couponrush.issuance.IssuanceService;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.groupcommit.GroupCommitIssuance.RetainedState;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.Race;
import com.couponrush.support.TestUsers;
import com.couponrush.web.ApiException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;

/**
 * The group-commit line against what clients can send: one key many times or on two coupons, one person with
 * hundreds of connections, ids of coupons that do not exist, and thousands of coupons that come and go.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = {"coupon.issuance.group-commit.max-queue=200",
        "coupon.issuance.group-commit.lane-idle-timeout=200ms",
        "coupon.issuance.group-commit.batch-timeout=30s", "coupon.issuance.group-commit.wait-timeout=30s"})
class GroupCommitLineIT {

    private static final RetainedState NOTHING = new RetainedState(0, 0, 0);

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    IssuanceService issuance;
    @Autowired
    GroupCommitIssuance engine;
    @Autowired
    MeterRegistry meters;

    @Test
    void thirtyConcurrentRequestsWithOneKeyMakeOneRowAndThirtyIdenticalAnswers() throws Exception {
        CouponFixtures coupons = new CouponFixtures(jdbc);
        long couponId = coupons.openCoupon(100, 0);
        ApiClient.TestUser user = api.newUser();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(30);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return api.issue(user, couponId, "one-key");
                }));
            }
            start.countDown();
            List<Long> ids = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                ids.add(response.data().path("userCouponId").asLong());
            }

            System.out.printf("one key, 30 concurrent requests: ids %s, rows %d%n", ids.stream().distinct().toList(),
                    coupons.rows(couponId));
            assertThat(ids).hasSize(30).containsOnly(ids.get(0));
            assertThat(coupons.rows(couponId)).isEqualTo(1);
            assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theSameKeyOnTwoCouponsAtOnceIsRefusedForOneAndTheOthersCommitInOneBatchEach() throws Exception {
        CouponFixtures coupons = new CouponFixtures(jdbc);
        long first = coupons.openCoupon(100, 0);
        long second = coupons.openCoupon(100, 0);
        List<Long> users = TestUsers.insert(jdbc, encoder, 42);
        long keyHolder = users.get(0);
        ExecutorService threads = Executors.newFixedThreadPool(50);
        Map<Long, Future<String>> fillers = new TreeMap<>();
        List<Future<String>> others = new ArrayList<>();
        List<Future<String>> sameKey = new ArrayList<>();
        long batchesBefore;
        long decidedBefore;
        try (HeldCouponRow heldFirst = HeldCouponRow.hold(dataSource, first);
             HeldCouponRow heldSecond = HeldCouponRow.hold(dataSource, second)) {
            // one request per coupon goes first and waits for the row in its batch; the rest queue behind it
            for (long couponId : List.of(first, second)) {
                fillers.put(couponId, threads.submit(() -> outcome(couponId, users.get(1), null)));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> engine.arrivals(couponId) == 1 && engine.queued(couponId) == 0);
            }
            batchesBefore = batchSizes().count();
            decidedBefore = (long) batchSizes().totalAmount();
            for (int i = 2; i < 42; i++) {
                long userId = users.get(i);
                long couponId = i % 2 == 0 ? first : second;
                others.add(threads.submit(() -> outcome(couponId, userId, null)));
            }
            sameKey.add(threads.submit(() -> outcome(first, keyHolder, "same-key")));
            sameKey.add(threads.submit(() -> outcome(second, keyHolder, "same-key")));
            // every request of the pair and the others is queued or already answered before the rows come free
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.queued(first) + engine.queued(second)
                    + sameKey.stream().filter(Future::isDone).count() == 42);
        }

        List<String> keyOutcomes = new ArrayList<>();
        for (Future<String> answer : sameKey) {
            keyOutcomes.add(answer.get());
        }
        for (Future<String> answer : fillers.values()) {
            assertThat(answer.get()).isEqualTo(Race.SUCCESS);
        }
        for (Future<String> answer : others) {
            assertThat(answer.get()).isEqualTo(Race.SUCCESS);
        }
        threads.shutdown();
        long batches = batchSizes().count() - batchesBefore;
        long decided = (long) batchSizes().totalAmount() - decidedBefore;
        System.out.printf("same key on two coupons at once: %s; batches after the first two %d deciding %d%n",
                keyOutcomes, batches, decided);
        assertThat(keyOutcomes).containsExactlyInAnyOrder(Race.SUCCESS, "IDEMPOTENCY_KEY_REUSED");
        assertThat(batches).as("the two filler batches and one batch per coupon; isolating would decide one by one")
                .isEqualTo(4);
        assertThat(decided).isEqualTo(2 + 41);
        assertThat(coupons.rows(first) + coupons.rows(second)).isEqualTo(43);
        assertThat(coupons.issuedCount(first) + coupons.issuedCount(second)).isEqualTo(43);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE idempotency_key = 'same-key'"
                + " AND user_id = ?", Integer.class, keyHolder)).isEqualTo(1);
    }

    @Test
    void aKeyUsedForAnotherCouponIsRefusedLaterToo() {
        ApiClient.TestUser admin = api.newAdmin();
        long first = api.createCoupon(admin, 10, 0);
        long second = api.createCoupon(admin, 10, 0);
        ApiClient.TestUser user = api.newUser();
        assertThat(api.issue(user, first, "used-once").status()).isEqualTo(200);

        Response reused = api.issue(user, second, "used-once");

        assertThat(reused.status()).as(reused.toString()).isEqualTo(422);
        assertThat(reused.reason()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(new CouponFixtures(jdbc).rows(second)).isZero();
    }

    @Test
    void aKeyedRetryOfAnIssuedCouponStillGetsItsCouponAfterTheSellOut() {
        CouponFixtures coupons = new CouponFixtures(jdbc);
        long couponId = coupons.openCoupon(1, 0);
        long userId = TestUsers.insert(jdbc, encoder, 1).get(0);
        long issued = issuance.issue(new IssueCommand(couponId, userId, "before-sell-out")).userCouponId();
        assertThat(outcome(couponId, userId, null)).as("the lane now knows it is sold out")
                .isEqualTo("COUPON_SOLD_OUT");

        assertThat(issuance.issue(new IssueCommand(couponId, userId, "before-sell-out")).userCouponId())
                .isEqualTo(issued);
    }

    @Test
    void oneUserWithFiveHundredConnectionsTakesNoPlacesFromTheHundredBehind() throws Exception {
        CouponFixtures coupons = new CouponFixtures(jdbc);
        long couponId = coupons.openCoupon(100, 1);
        List<Long> users = TestUsers.insert(jdbc, encoder, 101);
        long greedy = users.get(0);
        List<Long> attempts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            attempts.add(greedy);
        }
        attempts.addAll(users.subList(1, 101));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(attempts.size());
        try {
            for (long userId : attempts) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return outcome(couponId, userId, null);
                }));
            }
            start.countDown();
            Map<String, Integer> greedyOutcomes = new TreeMap<>();
            Map<String, Integer> othersOutcomes = new TreeMap<>();
            for (int i = 0; i < answers.size(); i++) {
                (i < 500 ? greedyOutcomes : othersOutcomes).merge(answers.get(i).get(), 1, Integer::sum);
            }

            int greedyRows = jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ? AND user_id = ?",
                    Integer.class, couponId, greedy);
            System.out.printf("one user x500 and 100 users x1 on 100 coupons, queue 200: greedy %s, others %s,"
                    + " rows %d, counter %d%n", greedyOutcomes, othersOutcomes, coupons.rows(couponId),
                    coupons.issuedCount(couponId));
            assertThat(othersOutcomes.keySet()).as("every other user decided, none turned away")
                    .isSubsetOf(Race.SUCCESS, "COUPON_SOLD_OUT");
            assertThat(othersOutcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
            assertThat(greedyRows).isLessThanOrEqualTo(1);
            assertThat(greedyOutcomes).doesNotContainKey("SERVICE_OVERLOADED");
            assertThat(coupons.rows(couponId)).isEqualTo(coupons.issuedCount(couponId)).isEqualTo(100);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aHundredThousandRequestsForCouponsThatDoNotExistLeaveNoSeriesAndNoLanes() {
        long unknownIds = 1_000_000_000_000L;
        long userId = TestUsers.insert(jdbc, encoder, 1).get(0);
        // the one series every unknown coupon shares, made before counting
        assertThat(outcome(unknownIds - 1, userId, null)).isEqualTo("COUPON_NOT_FOUND");
        awaitNothingRetained();
        long heapBefore = usedHeapAfterGc();
        Set<Meter.Id> seriesBefore = series();

        Race.Result result = Race.run(32, 100_000, i -> issuance.issue(
                new IssueCommand(unknownIds + ThreadLocalRandom.current().nextLong(1L << 40), userId, null)));

        awaitNothingRetained();
        long heapAfter = usedHeapAfterGc();
        Set<Meter.Id> added = new HashSet<>(series());
        added.removeAll(seriesBefore);
        System.out.printf("100,000 requests for random unknown coupons: %s; meters %d, added %s, heap after GC %,d"
                + " -> %,d bytes%n", result, seriesBefore.size(), added, heapBefore, heapAfter);
        assertThat(result.outcomes()).isEqualTo(Map.of("COUPON_NOT_FOUND", 100_000));
        assertThat(added).as("only the JVM's own meters may appear meanwhile (a new GC cause, say)")
                .allMatch(id -> id.getName().startsWith("jvm."));
        assertThat(meters.find(IssuanceMetrics.TIMER).tag("outcome", "COUPON_NOT_FOUND").timers())
                .extracting(timer -> timer.getId().getTag("coupon")).containsOnly(IssuanceMetrics.UNKNOWN_COUPON);
    }

    @Test
    void tenThousandCouponsTouchedOnceThenSoldOutOrEndedLeaveTheEngineAsItWas() {
        long userId = TestUsers.insert(jdbc, encoder, 1).get(0);
        awaitNothingRetained();
        long heapBefore = usedHeapAfterGc();
        List<Long> ids = insertCoupons(10_000);

        Race.Result touched = Race.run(8, ids.size(), i -> engine.issue(new IssueCommand(ids.get(i), userId, null)));
        assertThat(engine.retained().lanes()).as("lanes while the coupons were in use").isPositive();

        awaitNothingRetained();
        long heapAfter = usedHeapAfterGc();
        System.out.printf("10,000 coupons touched once: %s; heap after GC %,d -> %,d bytes%n", touched, heapBefore,
                heapAfter);
        assertThat(touched.outcomes()).isEqualTo(Map.of(Race.SUCCESS, 5_000, "COUPON_ENDED", 5_000));
        assertThat(heapAfter - heapBefore).as("heap retained by 10,000 forgotten lanes").isLessThan(8L << 20);
    }

    /** Half sell out at their first issuance (quantity 1), half have ended already. */
    private List<Long> insertCoupons(int count) {
        String batch = "retained-" + System.nanoTime();
        Timestamp now = Timestamp.valueOf(LocalDateTime.now());
        Timestamp start = Timestamp.valueOf(LocalDateTime.now().minusDays(2));
        Timestamp open = Timestamp.valueOf(LocalDateTime.now().plusDays(1));
        Timestamp ended = Timestamp.valueOf(LocalDateTime.now().minusDays(1));
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {batch + "-" + i, i % 2 == 0 ? open : ended, start, now, now});
        }
        jdbc.batchUpdate("INSERT INTO coupon (name, description, discount_amount, quantity, issued_count,"
                + " per_user_limit, end_date, start_date, created_at, modified_at)"
                + " VALUES (?, 'retained', 1000, 1, 0, 0, ?, ?, ?, ?)", rows);
        return jdbc.queryForList("SELECT id FROM coupon WHERE name LIKE ? ORDER BY id", Long.class, batch + "-%");
    }

    private void awaitNothingRetained() {
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.retained().equals(NOTHING));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private Set<Meter.Id> series() {
        return meters.getMeters().stream().map(Meter::getId).collect(Collectors.toSet());
    }

    private DistributionSummary batchSizes() {
        return meters.get("coupon.issuance.group-commit.batch.size").summary();
    }

    private String outcome(long couponId, long userId, String key) {
        try {
            issuance.issue(new IssueCommand(couponId, userId, key));
            return Race.SUCCESS;
        } catch (ApiException refusal) {
            return refusal.errorCode().name();
        }
    }
}
