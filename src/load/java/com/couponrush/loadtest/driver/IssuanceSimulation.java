package com.couponrush.loadtest.driver;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.LoadRun;
import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.tally.Outcome;
import io.gatling.http.response.Response;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's k6 scenario (src/load/scripts/load_test.js) in Gatling: virtual users ramp up to the peak and then
 * hold, each signed in as one of many accounts and repeating POST /api/v1/user-coupon. Gatling keeps its
 * HTML report and console, where an issuance and an expected refusal (sold out, limit reached, ...: see
 * {@link Outcome}) are OK and only what is wrong is KO; {@link LoadRun} adds the k6-style summary with the
 * refusals by reason and the integrity verdict, which fails the build when the counts do not add up.
 * Options: docs/load-testing.md.
 */
public class IssuanceSimulation extends Simulation {

    private static final String REASON = "\"reason\"\\s*:\\s*\"([A-Z_]+)\"";
    private static final Pattern REASON_PATTERN = Pattern.compile(REASON);

    private static final String INTEGRITY = "integrity check";

    private final LoadRun run = LoadRun.prepare(options(), System.out);
    private LoadRun.Report report;

    /** Before anything is prepared: the line's scenario has a driver of its own. */
    private static LoadOptions options() {
        LoadOptions options = LoadOptions.fromSystemProperties();
        if (options.line()) {
            throw new IllegalArgumentException("the line's scenario runs with exec:java@line (docs/load-testing.md)");
        }
        return options;
    }

    {
        LoadOptions options = run.options();
        HttpProtocolBuilder protocol = http.baseUrl(options.baseUrl())
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .warmUp(options.baseUrl() + "/actuator/health");

        ChainBuilder loop = exec(request(options))
                .exec(this::record)
                .pause(options.pause());
        ScenarioBuilder scenario = scenario(options.issuing() ? "issue coupon" : "ping")
                .feed(accounts())
                .exec(session -> {
                    run.start();
                    return session;
                })
                .asLongAs(session -> run.beforeDeadline()).on(loop);

        PopulationBuilder population = scenario.injectOpen(options.ramp().isZero()
                ? atOnceUsers(options.virtualUsers())
                : rampUsers(options.virtualUsers()).during(options.ramp()));
        if (options.issuing()) {
            // The verdict is a request of its own after the load, so that a FAIL is a failed Gatling assertion:
            // the build fails, and only after the HTML report has been written.
            population = population.andThen(scenario("integrity")
                    .exec(http(INTEGRITY).get("/api/v1/coupons/" + run.couponId())
                            .check(bodyString().transform(couponJson -> finish().verdictWord()).is("PASS")))
                    .injectOpen(atOnceUsers(1)));
            setUp(population).protocols(protocol).assertions(details(INTEGRITY).failedRequests().count().is(0L));
        } else {
            setUp(population).protocols(protocol);
        }
    }

    private synchronized LoadRun.Report finish() {
        if (report == null) {
            report = run.finish();
        }
        return report;
    }

    private HttpRequestActionBuilder request(LoadOptions options) {
        HttpRequestActionBuilder request = options.issuing()
                ? http("POST " + CouponRushApi.ISSUE_PATH).post(CouponRushApi.ISSUE_PATH)
                        .body(StringBody(CouponRushApi.issueBody(run.couponId())))
                : http("GET " + CouponRushApi.PING_PATH).get(CouponRushApi.PING_PATH);
        // An issuance or a refusal the coupon's rules call for is OK; anything else is KO, failed by the check
        // that names it best: the reason when the answer has one (Gatling's error table then counts KO by
        // reason), the status otherwise.
        return request.header("Authorization", "#{token}")
                .check(status().saveAs("status"),
                        responseTimeInMillis().saveAs("latencyMillis"),
                        regex(REASON).optional().saveAs("reason"))
                .checkIf((response, session) -> ko(response) && reasonOf(response).isPresent())
                .then(regex(REASON).notExists())
                .checkIf((response, session) -> ko(response) && reasonOf(response).isEmpty())
                .then(status().is(200));
    }

    private static boolean ko(Response response) {
        return Outcome.of(response.status().code(), reasonOf(response).orElse(null)).ko();
    }

    private static Optional<String> reasonOf(Response response) {
        Matcher reason = REASON_PATTERN.matcher(response.body().string());
        return reason.find() ? Optional.of(reason.group(1)) : Optional.empty();
    }

    private Session record(Session session) {
        long now = System.currentTimeMillis();
        if (session.contains("status")) {
            int status = session.getInt("status");
            String reason = session.contains("reason") ? session.getString("reason") : null;
            long latencyMillis = session.getLong("latencyMillis");
            run.record(Outcome.of(status, reason), now - latencyMillis, latencyMillis * 1000,
                    status + (reason == null ? "" : " " + reason));
        } else {
            run.record(Outcome.NO_RESPONSE, now, -1, "no response (timeout or connection error)");
        }
        return session.removeAll("status", "reason", "latencyMillis");
    }

    /** Each virtual user signs in as the next account; with more users than accounts they are shared. */
    private Iterator<Map<String, Object>> accounts() {
        AtomicLong next = new AtomicLong();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                var accounts = run.accounts();
                return Map.of("token", accounts.get((int) (next.getAndIncrement() % accounts.size())).token());
            }
        };
    }

    @Override
    public void after() {
        finish();
    }
}
