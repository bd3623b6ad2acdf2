package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.CouponRushApplication;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CommitGate;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.ObjectMapper;

/**
 * The coupon row lock is what keeps two instances' batches from deciding on the same counts. Here their
 * batches overlap on purpose: instance A (this test's context) has locked the row, read the counts and written
 * its rows, and the test holds its commit (see {@link CommitGate}) until instance B (a second application on
 * the same database) is seen waiting for a lock; only then does A commit. With the row lock B waited before
 * reading anything and decides on A's committed result; without it B has already decided on stale counts,
 * and over-issues or fails on a constraint. Either way the outcome is the same every run.
 */
@IntegrationTest
@Import(CommitGate.class)
@Tag("server-database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {"coupon.issuance.group-commit.wait-timeout=60s",
        "coupon.issuance.group-commit.batch-timeout=60s"})
class GroupCommitRowLockIT {

    @Autowired
    ApiClient api;
    @Autowired
    CommitGate gate;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    Environment environment;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private ConfigurableApplicationContext instanceB;
    private String instanceBUrl;

    @BeforeAll
    void startInstanceB() {
        // A second application context in this JVM rather than a process: it starts in seconds on a busy
        // machine, and it is the same engine on the same database, which is all this test needs.
        List<String> arguments = new ArrayList<>();
        for (String property : List.of("spring.datasource.url", "spring.datasource.username",
                "spring.datasource.password", "spring.data.redis.host", "spring.data.redis.port",
                "spring.data.redis.database", "app.jwt.secret")) {
            arguments.add("--" + property + "=" + environment.getProperty(property, ""));
        }
        arguments.addAll(List.of("--server.port=0", "--coupon.issuance.strategy=group-commit",
                "--coupon.issuance.group-commit.wait-timeout=60s", "--coupon.issuance.group-commit.batch-timeout=60s",
                "--spring.datasource.hikari.minimum-idle=1"));
        instanceB = new SpringApplicationBuilder(CouponRushApplication.class).run(arguments.toArray(String[]::new));
        instanceBUrl = "http://127.0.0.1:" + instanceB.getEnvironment().getRequiredProperty("local.server.port");
    }

    @AfterEach
    void openTheGate() {
        gate.open();
    }

    @AfterAll
    void stopInstanceB() {
        callers.shutdownNow();
        if (instanceB != null) {
            instanceB.close();
        }
    }

    @Test
    void oneUserRacingThroughBothInstancesForALimitOneCouponGetsExactlyOne() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 10, 1);
        ApiClient.TestUser user = api.newUser();

        Response[] answers = overlap(user, user, couponId);

        System.out.printf("group-commit row lock, one user through two instances: A %s, B %s%n",
                outcome(answers[0]), outcome(answers[1]));
        assertThat(answers[0].status()).as(answers[0].toString()).isEqualTo(200);
        assertThat(answers[1].reason()).as(answers[1].toString()).isEqualTo("PER_USER_LIMIT_REACHED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ? AND user_id = ?",
                Integer.class, couponId, user.id())).isEqualTo(1);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
    }

    @Test
    void theLastCouponRacedThroughBothInstancesGoesToExactlyOneUser() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1, 0);

        Response[] answers = overlap(api.newUser(), api.newUser(), couponId);

        System.out.printf("group-commit row lock, last coupon through two instances: A %s, B %s%n",
                outcome(answers[0]), outcome(answers[1]));
        assertThat(answers[0].status()).as(answers[0].toString()).isEqualTo(200);
        // The schema's CHECK (issued_count <= quantity) alone would stop the counter too, but only by failing
        // B's batch; the lock is what lets B see the sale and refuse precisely.
        assertThat(answers[1].reason()).as(answers[1].toString()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(coupons.rows(couponId)).isEqualTo(1);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
    }

    /** A's batch is written and held before commit; B's batch starts and blocks on a lock; then A commits. */
    private Response[] overlap(ApiClient.TestUser throughA, ApiClient.TestUser throughB, long couponId)
            throws Exception {
        int waitingBefore = transactionsWaitingForALock();
        gate.holdIssuingCommits();
        Future<Response> answerA = callers.submit(() -> api.issue(throughA, couponId));
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 1);

        Future<Response> answerB = callers.submit(() -> issueOnInstanceB(throughB, couponId));
        await().atMost(Duration.ofSeconds(30)).until(() -> transactionsWaitingForALock() > waitingBefore);
        assertThat(answerB.isDone()).isFalse();

        gate.letOneCommit();
        return new Response[] {answerA.get(), answerB.get()};
    }

    /** Sessions of this test's database blocked on a lock right now, as the database itself reports them. */
    private int transactionsWaitingForALock() {
        String sql = switch (TestDatabase.current()) {
            case POSTGRES -> "SELECT COUNT(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'";
            case MARIADB -> "SELECT COUNT(*) FROM information_schema.INNODB_TRX t"
                    + " JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
                    + " WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()";
            case H2 -> throw new IllegalStateException("two processes cannot share an in-memory H2 database");
        };
        return jdbc.queryForObject(sql, Integer.class);
    }

    private Response issueOnInstanceB(ApiClient.TestUser user, long couponId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(instanceBUrl + "/api/v1/user-coupon"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Authorization", user.token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"couponId\":" + couponId + "}")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), json.readTree(response.body()), response);
    }

    private static String outcome(Response response) {
        return response.status() + (response.status() == 200 ? "" : " " + response.reason());
    }
}
