package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.DirectDataSource;
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
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Containment that holds: twenty coupon rows held at once by other sessions (far more than the engine has
 * threads or than one pool could lend them) cost only those coupons. Each of them answers COUPON_BUSY with
 * nothing written; every other coupon keeps answering, each request within its deadline (wait-timeout plus
 * batch-timeout), with 200 or an ordinary refusal, never a 503. Needs row locks of a real server.
 */
@IntegrationTest
@Tag("server-database")
class GroupCommitContainmentIT {

    private static final int HELD_COUPONS = 20;
    private static final int FREE_COUPONS = 4;
    private static final int CLIENTS_PER_FREE_COUPON = 2;
    private static final Duration HOLD = Duration.ofSeconds(8);
    /** A steady stream, not a spin on instant 503s that would starve the two cores it shares. */
    private static final Duration PAUSE_AFTER_503 = Duration.ofMillis(20);

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    Environment environment;
    @Autowired
    GroupCommitProperties settings;

    private record Answer(long couponId, long sentNanos, long answeredNanos, int status, String reason,
                          boolean retryAfter, long userCouponId) {

        long millis() {
            return (answeredNanos - sentNanos) / 1_000_000;
        }

        String heard() {
            return status == 200 ? "200" : reason;
        }
    }

    @Test
    void twentyRowsHeldAtOnceRefuseOnlyTheirCouponsWhileEveryOtherCouponAnswersWithinItsDeadline() throws Exception {
        Duration deadline = settings.waitTimeout().plus(settings.batchTimeout());
        List<Long> held = new ArrayList<>();
        List<Long> free = new ArrayList<>();
        for (int i = 0; i < HELD_COUPONS; i++) {
            held.add(coupons.openCoupon(1_000_000, 0));
        }
        for (int i = 0; i < FREE_COUPONS; i++) {
            free.add(coupons.openCoupon(1_000_000, 0));
        }
        List<Long> clientsCoupons = new ArrayList<>(held);
        for (long couponId : free) {
            for (int client = 0; client < CLIENTS_PER_FREE_COUPON; client++) {
                clientsCoupons.add(couponId);
            }
        }
        List<ApiClient.TestUser> users = api.newUsers(clientsCoupons.size());
        DataSource otherSessions = DirectDataSource.of(environment);

        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(clientsCoupons.size());
        List<Future<?>> clients = new ArrayList<>();
        List<HeldCouponRow> rows = new ArrayList<>();
        long heldAt;
        long releaseStartedAt;
        long releasedAt;
        try {
            for (int i = 0; i < clientsCoupons.size(); i++) {
                long couponId = clientsCoupons.get(i);
                ApiClient.TestUser user = users.get(i);
                clients.add(threads.submit(() -> {
                    while (loading.get()) {
                        long sent = System.nanoTime();
                        Response response = api.issue(user, couponId);
                        answers.add(new Answer(couponId, sent, System.nanoTime(), response.status(),
                                response.reason(), response.raw().headers().firstValue("Retry-After").isPresent(),
                                response.status() == 200 ? response.data().path("userCouponId").asLong() : 0));
                        if (response.status() == 503) {
                            LockSupport.parkNanos(PAUSE_AFTER_503.toNanos());
                        }
                    }
                    return null;
                }));
            }
            List<Long> all = new ArrayList<>(held);
            all.addAll(free);
            await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(couponId -> answers.stream()
                    .anyMatch(a -> a.couponId() == couponId && a.status() == 200)));

            try {
                for (long couponId : held) {
                    rows.add(HeldCouponRow.hold(otherSessions, couponId));
                }
                heldAt = System.nanoTime();
                // the rows stay held for a fixed time while every client keeps sending
                Thread.sleep(HOLD.toMillis());
            } finally {
                releaseStartedAt = System.nanoTime();
                for (HeldCouponRow row : rows) {
                    row.close();
                }
                releasedAt = System.nanoTime();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> held.stream().allMatch(couponId -> answers.stream()
                    .anyMatch(a -> a.couponId() == couponId && a.status() == 200 && a.sentNanos() > releasedAt)));
        } finally {
            loading.set(false);
            threads.shutdown();
        }
        for (Future<?> client : clients) {
            client.get(60, TimeUnit.SECONDS);
        }

        List<Answer> freeAnswers = answers.stream().filter(a -> free.contains(a.couponId())).toList();
        List<Answer> freeWhileHeld = freeAnswers.stream()
                .filter(a -> a.sentNanos() >= heldAt && a.answeredNanos() < releaseStartedAt).toList();
        List<Answer> heldWhileHeld = answers.stream().filter(a -> held.contains(a.couponId())
                && a.sentNanos() >= heldAt && a.answeredNanos() < releaseStartedAt).toList();
        List<Answer> freeTooLate = freeAnswers.stream()
                .filter(a -> a.millis() >= deadline.toMillis()).toList();
        List<Answer> freeRefusedAs503 = freeAnswers.stream().filter(a -> a.status() >= 500).toList();
        System.out.printf("group-commit with %d coupon rows held at once for %d s and %d free coupons: free coupons %s"
                        + " (%d while held, p90 %d ms, max %d ms, %d past the deadline of %d ms); held coupons while held"
                        + " %s (p90 %d ms, max %d ms); answers in all %d%n",
                HELD_COUPONS, HOLD.toSeconds(), FREE_COUPONS, outcomes(freeAnswers), freeWhileHeld.size(),
                p90(freeWhileHeld), max(freeWhileHeld), freeTooLate.size(), deadline.toMillis(),
                outcomes(heldWhileHeld), p90(heldWhileHeld), max(heldWhileHeld), answers.size());

        assertThat(freeRefusedAs503.size()).as("503s for free coupons, by reason %s", outcomes(freeRefusedAs503))
                .isZero();
        assertThat(freeAnswers).as("free coupons: 200 or an ordinary refusal")
                .allMatch(a -> a.status() == 200 || a.status() >= 400 && a.status() < 500);
        assertThat(freeTooLate.size()).as("free coupons' answers at or past wait-timeout + batch-timeout (%d ms),"
                + " the slowest %d ms", deadline.toMillis(), max(freeTooLate)).isZero();
        assertThat(freeWhileHeld).as("free coupons served while the rows were held").hasSizeGreaterThan(100);
        assertThat(heldWhileHeld).as("held coupons while held").isNotEmpty().allSatisfy(a -> {
            assertThat(a.heard()).isEqualTo("COUPON_BUSY");
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.retryAfter()).isTrue();
        });
        List<Long> all = new ArrayList<>(held);
        all.addAll(free);
        for (long couponId : all) {
            List<Long> issued = answers.stream().filter(a -> a.couponId() == couponId && a.status() == 200)
                    .map(Answer::userCouponId).toList();
            Set<Long> stored = new HashSet<>(coupons.idsInServeOrder(couponId));
            assertThat(stored).as("coupon %d: every row is a 200's, every 200 has its row", couponId)
                    .isEqualTo(new HashSet<>(issued)).hasSize(issued.size()).hasSize(coupons.issuedCount(couponId));
        }
    }

    private static Map<String, Long> outcomes(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(Answer::heard, TreeMap::new, Collectors.counting()));
    }

    private static long p90(List<Answer> answers) {
        List<Long> sorted = answers.stream().map(Answer::millis).sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1);
    }

    private static long max(List<Answer> answers) {
        return answers.stream().mapToLong(Answer::millis).max().orElse(0);
    }
}
