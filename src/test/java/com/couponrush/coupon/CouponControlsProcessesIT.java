package com.couponrush.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.ServiceProcess;
import com.couponrush.support.TestDatabase;
import com.couponrush.support.TestServices;
import com.couponrush.support.TestServicesInitializer;
import com.couponrush.support.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Operator controls against two service processes sharing one database, during a rush that alternates between
 * them: the database judges, so nothing is issued once a pause or close has committed, and the remembered
 * "sold out" of both instances gives way to added stock within coupon.issuance.refresh (1 s, the default).
 */
@Tag("server-database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CouponControlsProcessesIT {

    /** The documented bound (coupon.issuance.refresh's default), plus one batch and one HTTP round trip. */
    static final Duration BOUND = Duration.ofSeconds(1);
    static final Duration BATCH_AND_ROUND_TRIP = Duration.ofSeconds(1);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private JdbcTemplate jdbc;
    private CouponFixtures coupons;
    private JwtEncoder jwt;
    private List<ServiceProcess> instances;
    private String adminToken;

    @BeforeAll
    void startTwoInstances() {
        TestServices.Database database = TestServices.freshDatabase(TestDatabase.current());
        jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), database.user(), database.password()));
        coupons = new CouponFixtures(jdbc);
        jwt = new NimbusJwtEncoder(new com.nimbusds.jose.jwk.source.ImmutableSecret<>(new SecretKeySpec(
                TestServicesInitializer.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
        int redisDatabase = TestServices.randomRedisDatabase();
        // one after the other: two JVMs starting at once on a busy 2-core machine can outlast the health wait
        ServiceProcess first = ServiceProcess.start(database, redisDatabase, Map.of());
        ServiceProcess second = ServiceProcess.start(database, redisDatabase, Map.of());
        instances = List.of(first, second);
        long adminId = TestUsers.insert(jdbc, passwords, 1).get(0);
        jdbc.update("UPDATE users SET role = 'ADMIN' WHERE id = ?", adminId);
        adminToken = TestUsers.token(jwt, adminId, "admin-" + adminId, "ADMIN");
    }

    @AfterAll
    void stopInstances() {
        threads.shutdownNow();
        if (instances != null) {
            instances.forEach(ServiceProcess::close);
        }
    }

    @Test
    void pauseDuringARushStopsIssuanceAtItsCommitAndResumeLetsItContinue() throws Exception {
        long couponId = coupons.openCoupon(1_000_000, 0);
        try (Rush rush = new Rush(couponId, users(100), 24, Duration.ofMillis(10))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> coupons.rows(couponId) >= 300);

            long paused = control(0, "POST", couponId, "pause", null);
            int rowsAtPause = coupons.rows(couponId);
            Timestamp pausedAt = changedAt(couponId, "PAUSE");
            rush.awaitOnEachInstance(sentAfter(paused).and(reason("COUPON_PAUSED")), 20);
            int rowsWhilePaused = coupons.rows(couponId);
            int decidedAfterPause = issuedAfter(couponId, pausedAt);

            long resumeSent = System.nanoTime();
            long resumed = control(1, "POST", couponId, "resume", null);
            rush.awaitOnEachInstance(sentAfter(resumed).and(reason("200")), 20);
            rush.stop();

            System.out.printf("pause during a rush: rows %d at the pause, %d while paused, %d in the end; first"
                            + " COUPON_PAUSED per instance %s ms, first issue after resume %s ms; %s%n",
                    rowsAtPause, rowsWhilePaused, coupons.rows(couponId),
                    rush.firstAnswerMillis(paused, reason("COUPON_PAUSED")),
                    rush.firstAnswerMillis(resumed, reason("200")), rush.outcomes());
            assertThat(rowsWhilePaused).isEqualTo(rowsAtPause);
            assertThat(decidedAfterPause).as("rows decided after the pause committed").isZero();
            // a request sent while paused may be decided after the resume: only answers before it tell
            assertThat(rush.answers(sentAfter(paused).and(answeredBefore(resumeSent)).and(reason("200"))))
                    .as("a request sent after the pause committed was issued while paused").isEmpty();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ? AND created_at > ?"
                    + " AND created_at < ?", Integer.class, couponId, pausedAt, changedAt(couponId, "RESUME")))
                    .as("rows decided between the pause and the resume").isZero();
            assertThat(rush.answers(sentAfter(resumed + BOUND.toNanos()).and(reason("COUPON_PAUSED"))))
                    .as("a request sent a bound after the resume was still refused as paused").isEmpty();
            assertThat(coupons.rows(couponId)).isGreaterThan(rowsWhilePaused)
                    .isEqualTo(coupons.issuedCount(couponId));
        }
    }

    @Test
    void closeDuringARushEndsIssuanceAtItsCommitOnBothInstances() throws Exception {
        long couponId = coupons.openCoupon(1_000_000, 0);
        try (Rush rush = new Rush(couponId, users(100), 24, Duration.ofMillis(10))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> coupons.rows(couponId) >= 300);

            long closed = control(1, "POST", couponId, "close", null);
            int rowsAtClose = coupons.rows(couponId);
            Timestamp end = jdbc.queryForObject("SELECT end_date FROM coupon WHERE id = ?", Timestamp.class, couponId);
            rush.awaitOnEachInstance(sentAfter(closed).and(reason("COUPON_ENDED")), 20);
            rush.stop();

            System.out.printf("close during a rush: rows %d at the close, %d in the end; first COUPON_ENDED per"
                            + " instance %s ms; %s%n", rowsAtClose, coupons.rows(couponId),
                    rush.firstAnswerMillis(closed, reason("COUPON_ENDED")), rush.outcomes());
            assertThat(coupons.rows(couponId)).isEqualTo(rowsAtClose).isEqualTo(coupons.issuedCount(couponId));
            assertThat(issuedAfter(couponId, end)).as("rows decided after the close committed").isZero();
            assertThat(rush.answers(sentAfter(closed).and(reason("200"))))
                    .as("a request sent after the close committed was issued").isEmpty();
            assertThat(changedAt(couponId, "CLOSE")).isEqualTo(end);
        }
    }

    @Test
    void stockAddedAfterASellOutIsIssuedExactlyOnBothInstancesWithinTheBound() throws Exception {
        long couponId = coupons.openCoupon(1_000, 1);
        List<ApiClient.TestUser> users = users(2_000);
        // paced so that the 500 added last longer than the bound: each instance must get to them itself
        try (Rush rush = new Rush(couponId, users, 12, Duration.ofMillis(40))) {
            rush.awaitOnEachInstance(reason("COUPON_SOLD_OUT"), 20);
            assertThat(coupons.rows(couponId)).isEqualTo(1_000);

            long added = control(0, "PUT", couponId, "quantity", Map.of("quantity", 1_500));
            rush.awaitOnEachInstance(sentAfter(added).and(reason("200")), 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> coupons.rows(couponId) == 1_500);
            rush.awaitOnEachInstance(sentAfter(added).and(reason("COUPON_SOLD_OUT")), 20);
            rush.stop();

            List<Long> firstIssue = rush.firstAnswerMillis(added, reason("200"));
            System.out.printf("1,000 sold out, 500 added during the rush: first new issue per instance %s ms after"
                            + " the change, rows %d, counter %d; %s%n", firstIssue, coupons.rows(couponId),
                    coupons.issuedCount(couponId), rush.outcomes());
            assertThat(coupons.rows(couponId)).isEqualTo(1_500).isEqualTo(coupons.issuedCount(couponId));
            assertThat(rush.answers(reason("200"))).hasSize(1_500);
            assertThat(firstIssue).allSatisfy(millis -> assertThat(millis)
                    .isLessThanOrEqualTo(BOUND.plus(BATCH_AND_ROUND_TRIP).toMillis()));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT user_id FROM user_coupon WHERE coupon_id = ?"
                    + " GROUP BY user_id HAVING COUNT(*) > 1) over_limit", Integer.class, couponId)).isZero();
        }

        List<Long> rows = jdbc.queryForList("SELECT id FROM user_coupon WHERE coupon_id = ? ORDER BY id", Long.class,
                couponId);
        JsonNode page = get("/api/v1/coupons/" + couponId + "/issuances?size=2000");
        List<Long> listed = new ArrayList<>();
        page.path("data").forEach(row -> listed.add(row.path("userCouponId").asLong()));
        String csv = getText("/api/v1/coupons/" + couponId + "/issuances.csv");
        List<Long> exported = csv.lines().skip(1).map(line -> Long.parseLong(line.substring(0, line.indexOf(','))))
                .toList();
        assertThat(listed).as("winners list in issue order").isEqualTo(rows);
        assertThat(exported).as("CSV in issue order").isEqualTo(rows);
        assertThat(page.path("page").path("totalElements").asInt()).isEqualTo(1_500);
        JsonNode history = get("/api/v1/coupons/" + couponId + "/changes").path("data");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("newValue").asString()).isEqualTo("{\"quantity\":1500}");
    }

    /** Sends a control through one instance; returns when its answer (so its commit) arrived, in nanoTime. */
    private long control(int instance, String method, long couponId, String action, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instances.get(instance).baseUrl()
                        + "/api/v1/coupons/" + couponId + "/" + action))
                .timeout(Duration.ofSeconds(30)).header("Authorization", adminToken)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return answered;
    }

    private JsonNode get(String path) throws Exception {
        return json.readTree(getText(path));
    }

    private String getText(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(instances.get(1).baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", adminToken).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private List<ApiClient.TestUser> users(int count) {
        return TestUsers.insertWithTokens(jdbc, passwords, jwt, count);
    }

    private Timestamp changedAt(long couponId, String action) {
        return jdbc.queryForObject("SELECT changed_at FROM coupon_change WHERE coupon_id = ? AND action = ?",
                Timestamp.class, couponId, action);
    }

    private int issuedAfter(long couponId, Timestamp at) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ? AND created_at > ?",
                Integer.class, couponId, at);
    }

    record Answer(int instance, long sentNanos, long answeredNanos, String outcome) {
    }

    private static Predicate<Answer> sentAfter(long nanos) {
        return answer -> answer.sentNanos() - nanos > 0;
    }

    private static Predicate<Answer> answeredBefore(long nanos) {
        return answer -> answer.answeredNanos() - nanos < 0;
    }

    private static Predicate<Answer> reason(String outcome) {
        return answer -> answer.outcome().equals(outcome);
    }

    /**
     * Clients that keep asking for the coupon until stopped, each request to the other instance than the last,
     * each user in turn; every answer is kept with when it was sent and received.
     */
    private final class Rush implements AutoCloseable {

        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<Future<?>> clients = new ArrayList<>();

        Rush(long couponId, List<ApiClient.TestUser> users, int clientCount, Duration pace) {
            AtomicInteger next = new AtomicInteger();
            for (int c = 0; c < clientCount; c++) {
                clients.add(threads.submit(() -> {
                    while (!stopped.get()) {
                        int turn = next.getAndIncrement();
                        ask(turn % 2, users.get(Math.floorMod(turn, users.size())), couponId);
                        LockSupport.parkNanos(pace.toNanos());
                    }
                    return null;
                }));
            }
        }

        private void ask(int instance, ApiClient.TestUser user, long couponId) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(instances.get(instance).baseUrl()
                            + "/api/v1/user-coupon")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", user.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"couponId\":" + couponId + "}")).build();
            long sent = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String outcome = response.statusCode() == 200 ? "200"
                    : json.readTree(response.body()).path("reason").asString("HTTP " + response.statusCode());
            answers.add(new Answer(instance, sent, System.nanoTime(), outcome));
        }

        void awaitOnEachInstance(Predicate<Answer> which, int count) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                int[] seen = new int[2];
                answers.stream().filter(which).forEach(answer -> seen[answer.instance()]++);
                return seen[0] >= count && seen[1] >= count;
            });
        }

        List<Answer> answers(Predicate<Answer> which) {
            return answers.stream().filter(which).toList();
        }

        /** Per instance: how long after {@code since} the first answer of this kind to a later request arrived. */
        List<Long> firstAnswerMillis(long since, Predicate<Answer> which) {
            List<Long> millis = new ArrayList<>();
            for (int instance = 0; instance < 2; instance++) {
                int on = instance;
                millis.add(answers.stream().filter(sentAfter(since).and(which)).filter(a -> a.instance() == on)
                        .mapToLong(a -> TimeUnit.NANOSECONDS.toMillis(a.answeredNanos() - since)).min().orElse(-1));
            }
            return millis;
        }

        Map<String, Integer> outcomes() {
            Map<String, Integer> counts = new TreeMap<>();
            answers.forEach(answer -> counts.merge(answer.outcome(), 1, Integer::sum));
            return counts;
        }

        void stop() throws Exception {
            stopped.set(true);
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() throws Exception {
            stop();
        }
    }
}
