package com.couponrush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.loadtest.driver.LineDriver;
import com.couponrush.loadtest.driver.PlainJavaDriver;
import com.couponrush.loadtest.driver.WrkDriver;
import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.integrity.IntegrityCheck;
import com.couponrush.loadtest.integrity.JdbcTarget;
import com.couponrush.loadtest.integrity.LineIntegrityCheck;
import com.couponrush.loadtest.tally.Outcome;
import com.couponrush.loadtest.tally.Summary;
import com.couponrush.support.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The load test's whole pipeline at a small scale against the running application: accounts signed up and a
 * coupon created through the API by the bootstrap admin, a few hundred concurrent issuance requests through
 * the same request and tally as the Gatling simulation, then the integrity check. It must pass for a safe
 * strategy, and it must catch a counter or a row that no longer adds up.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "app.bootstrap-admin.email=" + LoadTestIT.ADMIN_EMAIL,
        "app.bootstrap-admin.password=" + LoadTestIT.ADMIN_PASSWORD})
class LoadTestIT {

    static final String ADMIN_EMAIL = "load-admin@test.coupon-rush.dev";
    static final String ADMIN_PASSWORD = "Load-admin1!";

    private static final int USERS = 20;
    private static final int QUANTITY = 150;
    private static final int PER_USER_LIMIT = 8;
    private static final int REQUESTS = 400;
    private static final int LINE_STOCK = 15;
    private static final int LINE_PEOPLE = 3 * LINE_STOCK;

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fourHundredConcurrentRequestsAddUpAndTheCheckCatchesABrokenCount() throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        LoadRun run = LoadRun.prepare(options(), out);

        LoadRun.Report report = PlainJavaDriver.run(run, REQUESTS);
        System.out.print(printed.toString(StandardCharsets.UTF_8));

        assertThat(report.total().requests()).isEqualTo(REQUESTS);
        assertThat(report.total().successes()).isPositive().isLessThanOrEqualTo(QUANTITY);
        IntegrityCheck.Verdict verdict = report.verdict().orElseThrow();
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.pass()).isTrue();
        assertThat(verdict.rowsAdded()).contains(report.total().successes());
        assertThat(verdict.issuedCounterChange()).isEqualTo(report.total().successes());
        assertThat(verdict.usersAboveLimit()).contains(0L);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("TOTAL RESULTS", "http_req_duration", "INTEGRITY (coupon " + run.couponId() + "): PASS");

        long couponId = run.couponId();
        jdbc.update("UPDATE coupon SET issued_count = issued_count - 1 WHERE id = ?", couponId);
        IntegrityCheck.Verdict lostIncrement = run.recheck(report);
        assertThat(lostIncrement.pass()).isFalse();
        assertThat(lostIncrement.violations()).anySatisfy(v -> assertThat(v).contains("counter"));

        jdbc.update("UPDATE coupon SET issued_count = issued_count + 1 WHERE id = ?", couponId);
        assertThat(run.recheck(report).pass()).isTrue();

        jdbc.update("DELETE FROM user_coupon WHERE id = (SELECT MAX(id) FROM user_coupon WHERE coupon_id = ?)",
                couponId);
        IntegrityCheck.Verdict lostRow = run.recheck(report);
        assertThat(lostRow.pass()).isFalse();
        assertThat(lostRow.rowsAdded()).contains(report.total().successes() - 1);
    }

    /**
     * The line's scenario: three people per coupon, one coupon each at most, all joining the line at once and
     * following their places to the outcome; then the line's check, which must also catch two places swapped.
     */
    @Test
    void aCrowdThreeTimesTheStockIsDecidedInPlaceOrderAndTheLineCheckCatchesASwap() throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        LoadOptions options = new LoadOptions(baseUrl(), LoadOptions.LINE, Optional.empty(), LINE_STOCK, 1,
                LINE_PEOPLE, Optional.empty(), "Load-test1!", ADMIN_EMAIL, ADMIN_PASSWORD, 8, LINE_PEOPLE,
                Duration.ZERO, Duration.ofSeconds(60), Duration.ZERO, Optional.of(database()), Optional.empty(),
                "line integration test");
        LoadRun run = LoadRun.prepare(options, out);

        LoadRun.Report report = LineDriver.run(run);
        System.out.print(printed.toString(StandardCharsets.UTF_8));

        assertThat(report.total().requests()).isEqualTo(LINE_PEOPLE);
        assertThat(report.total().failures()).isZero();
        assertThat(report.verdict().orElseThrow().pass()).isTrue();
        LineIntegrityCheck.Verdict line = report.line().orElseThrow();
        assertThat(line.violations()).isEmpty();
        assertThat(line.pass()).isTrue();
        assertThat(line.people()).isEqualTo(LINE_PEOPLE);
        assertThat(line.places()).isEqualTo(LINE_STOCK);
        assertThat(line.issuedRows()).isEqualTo(LINE_STOCK);
        assertThat(line.inversions()).isZero();
        assertThat(line.answers()).isEqualTo(Map.of("ISSUED", (long) LINE_STOCK,
                "REFUSED COUPON_SOLD_OUT at the join", (long) (LINE_PEOPLE - LINE_STOCK)));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("LINE INTEGRITY (coupon " + run.couponId() + "): PASS");

        long couponId = run.couponId();
        swapPlaces(couponId, 1, 2);
        LineIntegrityCheck.Verdict swapped = run.recheckLine();
        assertThat(swapped.pass()).isFalse();
        assertThat(swapped.inversions()).isEqualTo(1);
        swapPlaces(couponId, 1, 2);
        assertThat(run.recheckLine().pass()).isTrue();
    }

    private void swapPlaces(long couponId, long first, long second) {
        jdbc.update("UPDATE waiting_place SET place_no = -1 WHERE coupon_id = ? AND place_no = ?", couponId, first);
        jdbc.update("UPDATE waiting_place SET place_no = ? WHERE coupon_id = ? AND place_no = ?", first, couponId,
                second);
        jdbc.update("UPDATE waiting_place SET place_no = ? WHERE coupon_id = ? AND place_no = -1", second, couponId);
    }

    /** The benchmark's default driver: src/load/scripts/wrk.lua, wrk's answers read back, the verdict after it. */
    @Test
    void wrkSellsTheCouponOutThroughTheScriptAndTheCountsAddUp(@TempDir Path workDir) throws Exception {
        LoadOptions options = options(Duration.ofSeconds(2));
        LoadRun run = LoadRun.prepare(options, System.out);

        LoadRun.Report report = WrkDriver.run(run, 1, workDir).orElseThrow();

        Summary measured = report.total();
        IntegrityCheck.Verdict verdict = report.verdict().orElseThrow();
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.issuedCounterChange()).isEqualTo(QUANTITY);
        assertThat(measured.successes()).isPositive().isLessThanOrEqualTo(QUANTITY);
        // only in-flight requests cut off when wrk stopped may have been issued without the client hearing of it
        assertThat(verdict.rowsAdded()).hasValueSatisfying(rows ->
                assertThat(rows).isBetween(measured.successes(), measured.successes() + verdict.unanswered()));
        assertThat(measured.byOutcome().get(Outcome.COUPON_SOLD_OUT)).isPositive();
        assertThat(measured.byOutcome().get(Outcome.OTHER)).isZero();
        assertThat(measured.byOutcome().get(Outcome.NO_RESPONSE)).isZero();
        assertThat(measured.latency().p99()).isPositive();
    }

    @Test
    void pingAnswersTheCallersIdFromTheTokenAndRefusesAnonymousCalls() {
        CouponRushApi api = new CouponRushApi(baseUrl());
        String email = "ping-" + System.nanoTime() + "@test.coupon-rush.dev";
        long userId = api.signUp(email, "Load-test1!").data().path("userId").asLong();
        String token = api.signIn(email, "Load-test1!");

        CouponRushApi.Reply reply = api.ping(token);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.data().path("userId").asLong()).isEqualTo(userId);

        CouponRushApi.Reply anonymous = api.ping(null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.reason()).isEqualTo("UNAUTHENTICATED");
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port");
    }

    private LoadOptions options() {
        return options(Duration.ofSeconds(60));
    }

    private LoadOptions options(Duration hold) {
        return new LoadOptions(baseUrl(), LoadOptions.ISSUE, Optional.empty(), QUANTITY, PER_USER_LIMIT, USERS,
                Optional.empty(), "Load-test1!", ADMIN_EMAIL, ADMIN_PASSWORD, 8, USERS, Duration.ZERO,
                hold, Duration.ZERO, Optional.of(database()), Optional.empty(), "integration test");
    }

    private JdbcTarget database() {
        return new JdbcTarget(environment.getRequiredProperty("spring.datasource.url"),
                environment.getRequiredProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password", ""));
    }
}
