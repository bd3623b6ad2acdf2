package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.TcpProxy;
import com.couponrush.support.TestServicesInitializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The database goes away under the engine (connections dropped) or hangs (sockets open, nothing answered) and
 * comes back: fast 503s meanwhile, no over-issue, self-healing. The wait-timeout is long so that only the
 * engine's own time limits can answer a request held up by a hung database in time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = GroupCommitOutageIT.ThroughProxy.class)
@TestPropertySource(properties = {"coupon.issuance.group-commit.wait-timeout=" + GroupCommitOutageIT.WAIT_TIMEOUT,
        "coupon.issuance.group-commit.batch-timeout=" + GroupCommitOutageIT.BATCH_TIMEOUT})
@Import({ApiClient.class, CouponFixtures.class})
@Tag("server-database")
class GroupCommitOutageIT {

    static final String WAIT_TIMEOUT = "20s";
    static final String BATCH_TIMEOUT = "2s";
    private static final Duration BATCH_LIMIT = Duration.parse("PT" + BATCH_TIMEOUT);
    private static final Duration CLIENT_PAUSE = Duration.ofMillis(10);

    static TcpProxy proxy;
    /** The database itself, not through the proxy: a session of the test's own that the freeze does not touch. */
    static DataSource direct;

    /** The usual fresh test database, reached through a proxy the test can cut. */
    static class ThroughProxy implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            new TestServicesInitializer().initialize(context);
            String url = context.getEnvironment().getRequiredProperty("spring.datasource.url");
            Matcher server = HOST_PORT.matcher(url);
            if (!server.find()) {
                throw new IllegalStateException("outage test needs a database server, not " + url);
            }
            direct = new DriverManagerDataSource(url, context.getEnvironment().getProperty("spring.datasource.username"),
                    context.getEnvironment().getProperty("spring.datasource.password"));
            proxy = TcpProxy.forward(Integer.parseInt(server.group(2)));
            TestPropertyValues.of("spring.datasource.url=" + server.replaceFirst("//127.0.0.1:" + proxy.port() + "/"))
                    .applyTo(context);
        }
    }

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    GroupCommitIssuance engine;

    @AfterAll
    static void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void databaseAnswers() {
        await().atMost(Duration.ofSeconds(30)).until(engine::databaseAvailable);
    }

    @Test
    void whileTheDatabaseIsGoneRequestsFailFastAndIssuanceResumesByItself() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 0);
        ApiClient.TestUser user = api.newUser();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.issue(user, couponId).status() == 200);
        int issuedBefore = coupons.issuedCount(couponId);

        proxy.cut();
        ExecutorService threads = Executors.newFixedThreadPool(40);
        List<Future<long[]>> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int i = 0; i < 40; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    long began = System.nanoTime();
                    Response response = api.issue(user, couponId);
                    assertThat(response.raw().headers().firstValue("Retry-After")).as(response.toString()).isPresent();
                    return new long[] {response.status(), (System.nanoTime() - began) / 1_000_000};
                }));
            }
            start.countDown();
            long slowest = 0;
            for (Future<long[]> answer : answers) {
                long[] statusAndMillis = answer.get();
                assertThat(statusAndMillis[0]).isEqualTo(503);
                slowest = Math.max(slowest, statusAndMillis[1]);
            }
            System.out.printf("group-commit during a database outage: 40 requests, all 503, slowest %d ms%n", slowest);
            assertThat(slowest).isLessThan(5_000);
        } finally {
            threads.shutdownNow();
            proxy.restore();
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.issue(user, couponId).status() == 200);
        int rows = coupons.rows(couponId);
        int counter = coupons.issuedCount(couponId);
        System.out.printf("group-commit after the outage: rows %d, counter %d%n", rows, counter);
        assertThat(rows).isEqualTo(counter).isGreaterThanOrEqualTo(issuedBefore + 1);
    }

    /**
     * One request's batch in the database when the link freezes: the watchdog must cut the drainer's hung call
     * within the batch timeout. The coupon's row is held by a session of the test's own (not through the proxy) so
     * that the batch is surely in the database, past the pool's check of its connection, when the freeze comes.
     */
    @Test
    void theBatchTimeoutCutsAHungCallAndFreesItsDrainer() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 0);
        ApiClient.TestUser user = api.newUser();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.issue(user, couponId).status() == 200);

        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (HeldCouponRow held = HeldCouponRow.hold(direct, couponId)) {
            long began = System.nanoTime();
            Future<Response> hung = caller.submit(() -> api.issue(user, couponId));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                    .until(() -> engine.batchesInTheDatabase() == 1);
            proxy.freeze();
            Response answer = hung.get(30, TimeUnit.SECONDS);
            Duration answeredAfter = Duration.ofNanos(System.nanoTime() - began);
            System.out.printf("group-commit on a frozen link: the hung batch was cut after %d ms (limit %s, wait-timeout"
                    + " %s): %s%n", answeredAfter.toMillis(), BATCH_TIMEOUT, WAIT_TIMEOUT, answer);
            // only the drainer, back from its cut call, can answer this early: the timer would wait for the deadline
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.reason()).isEqualTo("STORAGE_UNAVAILABLE");
            assertThat(answeredAfter).isLessThan(BATCH_LIMIT.plusSeconds(1));
            assertThat(engine.databaseAvailable()).as("a batch past its limit marks the database down").isFalse();
        } finally {
            caller.shutdownNow();
            proxy.thaw();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> api.issue(user, couponId).status() == 200);
    }

    private record Answer(long sentNanos, long answeredNanos, int status, String reason, boolean retryAfter,
                          long userCouponId) {

        long millis() {
            return (answeredNanos - sentNanos) / 1_000_000;
        }
    }

    /**
     * Load runs while the link freezes for six seconds and thaws: once the hang is detected, every answer is a fast
     * 503 (and readiness is DOWN); none is a 200 while the database cannot have answered; after the thaw the
     * engine finds the database again by itself and every 200 has its row.
     */
    @Test
    void aHungDatabaseIsDetectedAnsweredFastAndFoundAgainAfterTheThaw() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000_000, 0);
        ApiClient.TestUser user = api.newUser();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.issue(user, couponId).status() == 200);
        int issuedBefore = coupons.issuedCount(couponId);

        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        int clients = 8;
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        List<Future<?>> loaders = new ArrayList<>();
        long frozeAt;
        long detectedAt;
        long thawedAt;
        long recoveredAt;
        try {
            for (int i = 0; i < clients; i++) {
                loaders.add(threads.submit(() -> {
                    while (loading.get()) {
                        long sent = System.nanoTime();
                        Response response = api.issue(user, couponId);
                        answers.add(new Answer(sent, System.nanoTime(), response.status(), response.reason(),
                                response.raw().headers().firstValue("Retry-After").isPresent(),
                                response.status() == 200 ? response.data().path("userCouponId").asLong() : 0));
                        // a steady stream, not a spin on instant 503s that would starve the two cores it shares
                        LockSupport.parkNanos(CLIENT_PAUSE.toNanos());
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.stream().filter(a -> a.status() == 200).count() >= 50);

            frozeAt = System.nanoTime();
            proxy.freeze();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !engine.databaseAvailable());
            detectedAt = System.nanoTime();
            assertThat(api.get("/actuator/health/readiness", null).status()).as("readiness while hung").isEqualTo(503);
            // the hang itself is the scenario: it lasts a fixed time while the clients keep sending
            Thread.sleep(6_000);
            thawedAt = System.nanoTime();
            proxy.thaw();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> answers.stream()
                    .anyMatch(a -> a.status() == 200 && a.sentNanos() > thawedAt));
            recoveredAt = answers.stream().filter(a -> a.status() == 200 && a.sentNanos() > thawedAt)
                    .mapToLong(Answer::answeredNanos).min().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/actuator/health/readiness", null).status() == 200);
        } finally {
            loading.set(false);
            proxy.thaw();
            threads.shutdown();
        }
        for (Future<?> loader : loaders) {
            loader.get(60, TimeUnit.SECONDS);
        }

        List<Answer> duringHang = answers.stream()
                .filter(a -> a.sentNanos() >= detectedAt && a.answeredNanos() < thawedAt).toList();
        List<Long> latencies = duringHang.stream().map(Answer::millis).sorted().toList();
        long p90 = latencies.isEmpty() ? -1 : latencies.get((int) Math.ceil(latencies.size() * 0.9) - 1);
        long frozenAnswered200 = answers.stream()
                .filter(a -> a.sentNanos() >= frozeAt && a.answeredNanos() < thawedAt && a.status() == 200).count();
        List<Long> issuedIds = answers.stream().filter(a -> a.status() == 200).map(Answer::userCouponId).toList();
        int rows = coupons.rows(couponId);
        int counter = coupons.issuedCount(couponId);
        Set<Long> stored = new HashSet<>(jdbc.queryForList("SELECT id FROM user_coupon WHERE coupon_id = ?", Long.class,
                couponId));
        System.out.printf("group-commit on a hung database: detected after %d ms (batch-timeout %s); %d answers sent"
                        + " after detection during the hang, p90 %d ms, max %d ms, all 503; 200s again %d ms after the"
                        + " thaw; %d answers in all, %d x 200, rows %d, counter %d%n",
                (detectedAt - frozeAt) / 1_000_000, BATCH_TIMEOUT, duringHang.size(), p90,
                latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1), (recoveredAt - thawedAt) / 1_000_000, answers.size(),
                issuedIds.size(), rows, counter);

        assertThat(Duration.ofNanos(detectedAt - frozeAt)).isLessThan(BATCH_LIMIT.plusSeconds(1));
        assertThat(duringHang).hasSizeGreaterThan(100)
                .allSatisfy(a -> {
                    assertThat(a.status()).isEqualTo(503);
                    assertThat(a.reason()).isEqualTo("STORAGE_UNAVAILABLE");
                    assertThat(a.retryAfter()).isTrue();
                });
        assertThat(p90).isLessThan(200);
        assertThat(frozenAnswered200).as("200s answered while the database could not answer").isZero();
        assertThat(Duration.ofNanos(recoveredAt - thawedAt)).isLessThan(Duration.ofSeconds(10));
        assertThat(new HashSet<>(issuedIds)).hasSize(issuedIds.size());
        assertThat(stored).containsAll(issuedIds);
        assertThat(rows).isEqualTo(counter).isGreaterThanOrEqualTo(issuedBefore + issuedIds.size());
    }
}
