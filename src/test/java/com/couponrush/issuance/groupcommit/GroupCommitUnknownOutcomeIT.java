package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.CommitGate;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.DirectDataSource;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.ProxiedDatabase;
import com.couponrush.support.TcpProxy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The one answer that may not say what happened: the database stops answering while a batch's commit is in
 * flight, so the engine cannot know whether it landed. Those callers hear 503 OUTCOME_UNKNOWN with Retry-After,
 * each one is counted, and a retry with the same key tells the truth; a link cut before the commit (while the
 * batch still reads) wrote nothing and says so: STORAGE_UNAVAILABLE. The test holds the batch at its commit
 * ({@link CommitGate}) and cuts or freezes the link ({@link ProxiedDatabase}) at exactly that moment.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
@ContextConfiguration(initializers = ProxiedDatabase.class)
@Import({ApiClient.class, CouponFixtures.class, CommitGate.class})
// Only the batch's own time limit may answer a caller whose commit hangs: the wait-timeout is far longer. The lock
// timeout leaves the test time to cut the link while the batch waits for a held row.
@TestPropertySource(properties = {"coupon.issuance.group-commit.wait-timeout=30s",
        "coupon.issuance.group-commit.batch-timeout=" + GroupCommitUnknownOutcomeIT.BATCH_TIMEOUT,
        "coupon.issuance.group-commit.lock-timeout=2500ms"})
@Tag("server-database")
class GroupCommitUnknownOutcomeIT {

    static final String BATCH_TIMEOUT = "3s";
    private static final Duration BATCH_LIMIT = Duration.parse("PT" + BATCH_TIMEOUT);
    private static final int BATCH = 5;

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CommitGate gate;
    @Autowired
    TcpProxy link;
    @Autowired
    GroupCommitIssuance engine;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Environment environment;

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private boolean cut;

    @BeforeEach
    void databaseAnswers() {
        awaitReady();
    }

    @AfterEach
    void linkAndGateOpen() {
        gate.open();
        link.thaw();
        if (cut) {
            link.restore();
        }
        callers.shutdownNow();
    }

    private record Keyed(ApiClient.TestUser user, String key, Future<Response> answer) {
    }

    @Test
    void aLinkThatFreezesWhileABatchCommitsAnswersEveryCallerOutcomeUnknownAndTheirKeysTellTheTruth()
            throws Exception {
        commitInFlightWhenTheLinkFails(link::freeze, "frozen");
    }

    @Test
    void aLinkCutWhileABatchCommitsAnswersEveryCallerOutcomeUnknownAndTheirKeysTellTheTruth() throws Exception {
        commitInFlightWhenTheLinkFails(() -> {
            cut = true;
            link.cut();
        }, "cut");
    }

    @Test
    void aLinkCutWhileTheBatchReadsAnswersStorageUnavailableAndWritesNothing() throws Exception {
        long couponId = coupons.openCoupon(100, 0);
        ApiClient.TestUser user = api.newUsers(1).get(0);
        assertThat(api.issue(user, couponId, "before").status()).isEqualTo(200);
        double unknownBefore = outcomeUnknownCounted();

        Response answer;
        long answeredMillis;
        try (HeldCouponRow held = HeldCouponRow.hold(DirectDataSource.of(environment), couponId)) {
            int mark = gate.statements().size();
            long sent = System.nanoTime();
            Future<Response> pending = callers.submit(() -> api.issue(user, couponId, "cut-while-reading"));
            // the batch has asked for the row, which the test's own session holds: it waits in its first read
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> gate.statements()
                    .subList(mark, gate.statements().size()).stream()
                    .anyMatch(sql -> sql.toLowerCase(Locale.ROOT).contains("for update")));
            cut = true;
            link.cut();
            answer = pending.get(30, TimeUnit.SECONDS);
            answeredMillis = (System.nanoTime() - sent) / 1_000_000;
        }
        link.restore();
        cut = false;
        awaitReady();

        int keyRows = rowsWithKey(user, "cut-while-reading");
        System.out.printf("group-commit, link cut while the batch waited for its row: %s after %d ms; rows with its"
                        + " key %d; rows %d, counter %d; outcome-unknown counter +%.0f%n", answer, answeredMillis,
                keyRows, coupons.rows(couponId), coupons.issuedCount(couponId),
                outcomeUnknownCounted() - unknownBefore);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.reason()).isEqualTo("STORAGE_UNAVAILABLE");
        assertThat(answer.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(keyRows).as("STORAGE_UNAVAILABLE means nothing was written").isZero();
        assertThat(coupons.rows(couponId)).isEqualTo(coupons.issuedCount(couponId)).isEqualTo(1);
        assertThat(outcomeUnknownCounted()).isEqualTo(unknownBefore);
    }

    /**
     * A batch of {@value #BATCH} keyed callers is held at its commit; the link fails, the commit goes out into it.
     * Every caller must hear OUTCOME_UNKNOWN, each counted once; then, with the database back, a retry with the same
     * key returns the one row that key has, whether the commit landed or not.
     */
    private void commitInFlightWhenTheLinkFails(Runnable failTheLink, String how) throws Exception {
        long couponId = coupons.openCoupon(100, 0);
        List<ApiClient.TestUser> users = api.newUsers(1 + BATCH);
        assertThat(api.issue(users.get(0), couponId, "warm-up").status()).isEqualTo(200);
        double unknownBefore = outcomeUnknownCounted();

        gate.holdIssuingCommits();
        Future<Response> lead = callers.submit(() -> api.issue(users.get(0), couponId, "lead"));
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 1);
        List<Keyed> batch = new ArrayList<>();
        for (ApiClient.TestUser user : users.subList(1, users.size())) {
            String key = "in-flight-" + user.id();
            batch.add(new Keyed(user, key, callers.submit(() -> api.issue(user, couponId, key))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.queued(couponId) == BATCH);
        gate.letOneCommit();
        assertThat(lead.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 1);

        failTheLink.run();
        long failedAt = System.nanoTime();
        gate.letOneCommit();
        List<Response> answers = new ArrayList<>();
        Map<String, Integer> heard = new TreeMap<>();
        long slowestMillis = 0;
        for (Keyed keyed : batch) {
            Response answer = keyed.answer().get(30, TimeUnit.SECONDS);
            slowestMillis = Math.max(slowestMillis, (System.nanoTime() - failedAt) / 1_000_000);
            heard.merge(answer.status() == 200 ? "200" : answer.reason(), 1, Integer::sum);
            answers.add(answer);
        }
        double counted = outcomeUnknownCounted() - unknownBefore;

        gate.open();
        link.thaw();
        if (cut) {
            link.restore();
            cut = false;
        }
        awaitReady();
        int landed = 0;
        for (Keyed keyed : batch) {
            landed += rowsWithKey(keyed.user(), keyed.key());
        }
        List<Response> retries = new ArrayList<>();
        for (Keyed keyed : batch) {
            retries.add(api.issue(keyed.user(), couponId, keyed.key()));
        }
        System.out.printf("group-commit, link %s while a batch of %d committed: answers %s within %d ms (batch-timeout"
                        + " %s); outcome-unknown counter +%.0f; the commit had landed for %d; after retries with the"
                        + " same keys rows %d, counter %d%n", how, BATCH, heard, slowestMillis, BATCH_TIMEOUT, counted,
                landed, coupons.rows(couponId), coupons.issuedCount(couponId));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
            assertThat(answer.reason()).isEqualTo("OUTCOME_UNKNOWN");
            assertThat(answer.raw().headers().firstValue("Retry-After")).isPresent();
        });
        assertThat(counted).as("each OUTCOME_UNKNOWN counted once").isEqualTo(BATCH);
        assertThat(Duration.ofMillis(slowestMillis)).isLessThan(BATCH_LIMIT.plusSeconds(2));
        assertThat(landed).as("the commit landed for all or none of the batch").isIn(0, BATCH);
        for (int i = 0; i < BATCH; i++) {
            Response retry = retries.get(i);
            assertThat(retry.status()).as("a retry with the same key: " + retry).isEqualTo(200);
            assertThat(retry.data().path("userCouponId").asLong()).as("the one row of its key").isEqualTo(
                    jdbc.queryForObject("SELECT id FROM user_coupon WHERE user_id = ? AND idempotency_key = ?",
                            Long.class, batch.get(i).user().id(), batch.get(i).key()));
        }
        assertThat(coupons.rows(couponId)).isEqualTo(coupons.issuedCount(couponId)).isEqualTo(2 + BATCH);
    }

    private int rowsWithKey(ApiClient.TestUser user, String key) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE user_id = ? AND idempotency_key = ?",
                Integer.class, user.id(), key);
    }

    private double outcomeUnknownCounted() {
        Counter counter = meters.find(GroupCommitTruthIT.OUTCOME_UNKNOWN_COUNTER).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/actuator/health/readiness", null).status() == 200);
    }
}
