package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Coupon rows held by other sessions (another instance's stuck transaction, a long admin update) must cost only
 * those coupons: their batches give up at the lock timeout with 503 COUPON_BUSY, and every other coupon keeps
 * issuing without a single 503. As many coupons are held as the engine has drainers, the number that used to stop
 * the whole instance. Needs row locks of a real server.
 */
@IntegrationTest
@Tag("server-database")
class GroupCommitContentionIT {

    private static final int HELD_COUPONS = 4;
    private static final int FREE_COUPONS = 3;
    private static final Duration HOLD = Duration.ofSeconds(10);

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    DataSource dataSource;
    @Autowired
    GroupCommitIssuance engine;

    private record Answer(long couponId, long sentNanos, long answeredNanos, int status, String reason,
                          boolean retryAfter, long userCouponId) {

        long millis() {
            return (answeredNanos - sentNanos) / 1_000_000;
        }
    }

    @Test
    void rowsHeldByOtherSessionsRefuseOnlyTheirOwnCouponsWhileTheOthersIssueWithoutA503() throws Exception {
        ApiClient.TestUser admin = api.newAdmin();
        List<Long> held = new ArrayList<>();
        List<Long> free = new ArrayList<>();
        for (int i = 0; i < HELD_COUPONS; i++) {
            held.add(api.createCoupon(admin, 1_000_000, 0));
        }
        for (int i = 0; i < FREE_COUPONS; i++) {
            free.add(api.createCoupon(admin, 1_000_000, 0));
        }
        List<Long> all = new ArrayList<>(held);
        all.addAll(free);
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(all.size() * 2);
        List<Future<?>> clients = new ArrayList<>();
        long heldAt;
        long releaseStartedAt = Long.MAX_VALUE;
        long releasedAt;
        List<HeldCouponRow> rows = new ArrayList<>();
        try {
            for (long couponId : all) {
                for (int client = 0; client < 2; client++) {
                    ApiClient.TestUser user = api.newUser();
                    clients.add(threads.submit(() -> {
                        while (loading.get()) {
                            long sent = System.nanoTime();
                            Response response = api.issue(user, couponId);
                            answers.add(new Answer(couponId, sent, System.nanoTime(), response.status(),
                                    response.reason(), response.raw().headers().firstValue("Retry-After").isPresent(),
                                    response.status() == 200 ? response.data().path("userCouponId").asLong() : 0));
                        }
                        return null;
                    }));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(couponId -> answers.stream()
                    .anyMatch(a -> a.couponId() == couponId && a.status() == 200)));

            for (long couponId : held) {
                rows.add(HeldCouponRow.hold(dataSource, couponId));
            }
            heldAt = System.nanoTime();
            // the rows stay held for a fixed time while every client keeps sending
            Thread.sleep(HOLD.toMillis());
        } finally {
            // rows are let go one after another: "while held" ends when the first one is released
            releaseStartedAt = System.nanoTime();
            for (HeldCouponRow row : rows) {
                row.close();
            }
            releasedAt = System.nanoTime();
        }
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> held.stream().allMatch(couponId -> answers.stream()
                    .anyMatch(a -> a.couponId() == couponId && a.status() == 200 && a.sentNanos() > releasedAt)));
        } finally {
            loading.set(false);
            threads.shutdown();
        }
        for (Future<?> client : clients) {
            client.get(60, TimeUnit.SECONDS);
        }

        long whileHeldUntil = releaseStartedAt;
        List<Answer> freeAnswers = answers.stream().filter(a -> free.contains(a.couponId())).toList();
        List<Answer> freeWhileHeld = freeAnswers.stream()
                .filter(a -> a.sentNanos() >= heldAt && a.answeredNanos() < whileHeldUntil).toList();
        List<Answer> heldWhileHeld = answers.stream().filter(a -> held.contains(a.couponId())
                && a.sentNanos() >= heldAt && a.answeredNanos() < whileHeldUntil).toList();
        Map<String, Long> freeOutcomes = outcomes(freeAnswers);
        Map<String, Long> heldOutcomes = outcomes(heldWhileHeld);
        long recoveredMillis = held.stream().mapToLong(couponId -> answers.stream()
                .filter(a -> a.couponId() == couponId && a.status() == 200 && a.sentNanos() > releasedAt)
                .mapToLong(Answer::answeredNanos).min().orElseThrow() - releasedAt).max().orElseThrow() / 1_000_000;
        System.out.printf("group-commit with %d of %d coupon rows held for %d s: other coupons %s (%d while held,"
                        + " p90 %d ms, max %d ms); held coupons while held %s (p90 %d ms, max %d ms); every held coupon"
                        + " issuing again %d ms after the release%n",
                HELD_COUPONS, all.size(), HOLD.toSeconds(), freeOutcomes, freeWhileHeld.size(), p90(freeWhileHeld),
                max(freeWhileHeld), heldOutcomes, p90(heldWhileHeld), max(heldWhileHeld), recoveredMillis);

        assertThat(freeWhileHeld).hasSizeGreaterThan(100);
        assertThat(freeOutcomes).as("other coupons, all the time").containsOnlyKeys("200");
        assertThat(heldWhileHeld).isNotEmpty().allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.reason()).isEqualTo("COUPON_BUSY");
            assertThat(a.retryAfter()).isTrue();
        });
        assertThat(engine.databaseAvailable()).as("a held row is no outage").isTrue();
        assertThat(recoveredMillis).isLessThan(10_000);
        for (long couponId : all) {
            List<Long> issued = answers.stream().filter(a -> a.couponId() == couponId && a.status() == 200)
                    .map(Answer::userCouponId).toList();
            Set<Long> stored = new HashSet<>(coupons.idsInServeOrder(couponId));
            int counter = coupons.issuedCount(couponId);
            assertThat(stored).as("coupon %d: every 200 has its row", couponId).containsAll(issued)
                    .hasSize(issued.size()).hasSize(counter);
        }
    }

    private static Map<String, Long> outcomes(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(
                a -> a.status() == 200 ? "200" : a.reason(), TreeMap::new, Collectors.counting()));
    }

    private static long p90(List<Answer> answers) {
        List<Long> sorted = answers.stream().map(Answer::millis).sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1);
    }

    private static long max(List<Answer> answers) {
        return answers.stream().mapToLong(Answer::millis).max().orElse(0);
    }
}
