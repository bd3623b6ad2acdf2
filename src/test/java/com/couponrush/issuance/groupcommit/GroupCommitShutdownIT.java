package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.ServiceProcess;
import com.couponrush.support.TestDatabase;
import com.couponrush.support.TestServices;
import com.couponrush.support.TestServicesInitializer;
import com.couponrush.support.TestUsers;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * SIGTERM while a coupon's lane is full and its batch waits for the row: the instance stops admitting (503 with
 * Retry-After), answers everyone already in line, and exits within the shutdown grace period.
 */
@Tag("server-database")
class GroupCommitShutdownIT {

    private static final int IN_LINE = 60;
    private static final Duration GRACE = Duration.ofSeconds(20);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sigtermAnswersEveryoneInLineRefusesNewcomersAndExitsWithinTheGracePeriod() throws Exception {
        TestServices.Database database = TestServices.freshDatabase(TestDatabase.current());
        DriverManagerDataSource dataSource = new DriverManagerDataSource(database.url(), database.user(),
                database.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        ServiceProcess service = ServiceProcess.start(database, TestServices.randomRedisDatabase(), Map.of(
                "coupon.issuance.strategy", "group-commit",
                // the first batch must keep waiting for the held row (not be cut as COUPON_BUSY) until SIGTERM
                "coupon.issuance.group-commit.wait-timeout", "60s",
                "coupon.issuance.group-commit.batch-timeout", "40s",
                "coupon.issuance.group-commit.lock-timeout", "35s",
                "spring.lifecycle.timeout-per-shutdown-phase", GRACE.toSeconds() + "s"));
        ExecutorService threads = Executors.newFixedThreadPool(IN_LINE);
        try {
            CouponFixtures coupons = new CouponFixtures(jdbc);
            long couponId = coupons.openCoupon(1_000_000, 0);
            NimbusJwtEncoder tokens = new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(
                    TestServicesInitializer.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
            List<ApiClient.TestUser> users = TestUsers.insertWithTokens(jdbc,
                    PasswordEncoderFactories.createDelegatingPasswordEncoder(), tokens, IN_LINE + 1);
            // the engine's queue gauge is read from the metrics, which only an operator may see
            String operator = TestUsers.token(tokens, users.get(0).id(), users.get(0).email(), "ADMIN");
            List<Future<HttpResponse<String>>> inLine = new ArrayList<>();
            long terminatedAt;
            HttpResponse<String> newcomer;
            try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
                // one request in a batch that waits for the row, the others queued behind it
                ApiClient.TestUser first = users.get(0);
                inLine.add(threads.submit(() -> issue(service, first.token(), couponId)));
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(jdbc) == 1);
                for (ApiClient.TestUser user : users.subList(1, IN_LINE)) {
                    inLine.add(threads.submit(() -> issue(service, user.token(), couponId)));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> queued(service, operator) == IN_LINE - 1);

                service.terminate();
                terminatedAt = System.nanoTime();
                await().atMost(GRACE).until(() -> Files.readString(service.log()).contains("admitting no more"));
                newcomer = issue(service, users.get(IN_LINE).token(), couponId);
            }

            Map<String, Integer> outcomes = new TreeMap<>();
            List<Long> acknowledged = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : inLine) {
                HttpResponse<String> response;
                try {
                    response = answer.get();
                } catch (ExecutionException noAnswer) {
                    // counted, so that the assertion below names it, with the service's side in the log
                    outcomes.merge("no answer: " + noAnswer.getCause(), 1, Integer::sum);
                    continue;
                }
                JsonNode body = json.readTree(response.body());
                outcomes.merge(response.statusCode() == 200 ? "200" : body.path("reason").asString(), 1, Integer::sum);
                if (response.statusCode() == 200) {
                    acknowledged.add(body.path("data").path("userCouponId").asLong());
                }
            }
            boolean exited = service.awaitExit(GRACE.plusSeconds(5));
            Duration exitAfter = Duration.ofNanos(System.nanoTime() - terminatedAt);
            int found = acknowledged.isEmpty() ? 0 : jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE id IN ("
                    + String.join(",", acknowledged.stream().map(String::valueOf).toList()) + ")", Integer.class);
            System.out.printf("SIGTERM with %d in line: %s; newcomer %d %s; %d acknowledged, %d found, rows %d,"
                            + " counter %d; exited after %d ms%n", IN_LINE, outcomes, newcomer.statusCode(),
                    newcomer.body(), acknowledged.size(), found, coupons.rows(couponId), coupons.issuedCount(couponId),
                    exitAfter.toMillis());

            assertThat(newcomer.statusCode()).isEqualTo(503);
            assertThat(json.readTree(newcomer.body()).path("reason").asString()).isEqualTo("SHUTTING_DOWN");
            assertThat(newcomer.headers().firstValue("Retry-After")).isPresent();
            Map<String, Integer> everyoneIssued = Map.of("200", IN_LINE);
            assertThat(outcomes).as("everyone in line is decided, not cut off; the service's log:%n%s",
                    outcomes.equals(everyoneIssued) ? "" : logTail(service)).isEqualTo(everyoneIssued);
            assertThat(found).isEqualTo(acknowledged.size());
            assertThat(coupons.rows(couponId)).isEqualTo(coupons.issuedCount(couponId)).isEqualTo(IN_LINE);
            assertThat(exited).isTrue();
            assertThat(exitAfter).isLessThan(GRACE);
        } finally {
            threads.shutdownNow();
            service.close();
        }
    }

    private HttpResponse<String> issue(ServiceProcess service, String token, long couponId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/user-coupon"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"couponId\":" + couponId + "}")).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String logTail(ServiceProcess service) throws Exception {
        List<String> lines = Files.readAllLines(service.log());
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    /** Sessions of this test's database waiting for a row lock: the batch blocked behind the held row. */
    private static int waitingForALock(JdbcTemplate jdbc) {
        String sql = TestDatabase.current() == TestDatabase.MARIADB
                ? "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                        + " ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND datname = current_database()";
        return jdbc.queryForObject(sql, Integer.class);
    }

    private int queued(ServiceProcess service, String operatorToken) throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                        URI.create(service.baseUrl() + "/actuator/prometheus")).header("Authorization", operatorToken)
                .build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("coupon_issuance_group_commit_queue"))
                .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }
}
