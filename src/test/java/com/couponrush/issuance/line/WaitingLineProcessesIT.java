package com.couponrush.issuance.line;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three service processes sharing one database: one sequence of places per coupon whichever instance gives them,
 * decided in place order by the three instances' deciders in turn; places that survive the SIGKILL of the instance
 * that gave them and its restart.
 */
@Tag("server-database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WaitingLineProcessesIT {

    /**
     * Small batches, so that a line of hundreds takes many transactions and the deciders take it in turns; the
     * decider says at debug level which places it decided, so that each instance's log shows its share.
     */
    private static final Map<String, String> SETTINGS = Map.of(
            "coupon.issuance.line.max-batch", "20",
            "logging.level.com.couponrush.issuance.line.LineDecider", "DEBUG");
    /** Retries of a 503 in all, beyond which an answer counts as it came: a bound, not an expectation. */
    private static final int MAX_RETRIES = 200;
    private static final Pattern DECIDED = Pattern.compile("decided (\\d+) places of coupon (\\d+) through");

    private final JsonMapper json = new JsonMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ServiceProcess> instances = new ArrayList<>();
    private TestServices.Database database;
    private int redisDatabase;
    private DataSource dataSource;
    private JdbcTemplate jdbc;
    private CouponFixtures coupons;
    private JwtEncoder jwt;

    @BeforeAll
    void startThreeInstances() {
        database = TestServices.freshDatabase(TestDatabase.current());
        dataSource = new DriverManagerDataSource(database.url(), database.user(), database.password());
        jdbc = new JdbcTemplate(dataSource);
        coupons = new CouponFixtures(jdbc);
        jwt = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(
                TestServicesInitializer.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .algorithm(MacAlgorithm.HS256).build();
        redisDatabase = TestServices.randomRedisDatabase();
        for (int i = 0; i < 3; i++) {
            instances.add(ServiceProcess.start(database, redisDatabase, SETTINGS));
        }
    }

    @AfterAll
    void stopInstances() {
        instances.forEach(ServiceProcess::close);
    }

    @Test
    @Order(1)
    void threeInstancesGiveOneSequenceAndDecideItInPlaceOrderWhileTheCrowdJoinsAndTheStockIsLowered()
            throws SQLException {
        int people = 600;
        int stock = 400;
        long couponId = coupons.openCoupon(stock, 1);
        List<ApiClient.TestUser> users = users(people);
        AtomicInteger retries = new AtomicInteger();

        List<CompletableFuture<HttpResponse<String>>> joins = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            joins.add(joinUntilAnswered(instances.get(i % instances.size()), users.get(i), couponId, retries));
        }
        // Places are decided while the crowd joins; then the operator lowers the stock under the coupon's lock, so
        // that places already given lie beyond it and the deciders must tell them sold out.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> placesGiven(couponId) >= people / 6);
        int issuedBeforeLowering;
        int lowered;
        try (HeldCouponRow held = HeldCouponRow.hold(dataSource, couponId)) {
            Map<String, Integer> answers = answers(joins);
            assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(people);
            assertThat(answers.keySet()).as("a place or sold out")
                    .allMatch(answer -> answer.startsWith("202") || answer.startsWith("200")
                            || answer.equals("COUPON_SOLD_OUT"));
            System.out.println("line, three instances, " + people + " joins for " + stock + " coupons: answers "
                    + answers + " after " + retries + " retries of a 503");
            issuedBeforeLowering = coupons.issuedCount(couponId);
            lowered = issuedBeforeLowering + (stock - issuedBeforeLowering) / 2;
            assertThat(lowered).as("places still wait when the stock is lowered").isLessThan(stock);
            held.commitUpdate("UPDATE coupon SET quantity = ? WHERE id = ?", lowered, couponId);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> coupons.placesWaiting(couponId) == 0);

        List<Map<String, Object>> places = jdbc.queryForList("SELECT place_no, status, reason FROM waiting_place"
                + " WHERE coupon_id = ? ORDER BY place_no", couponId);
        int given = places.size();
        List<Long> issuedIdsInPlaceOrder = coupons.idsIssuedToPlaces(couponId);
        List<Long> issuedTimesInPlaceOrder = coupons.issueTimesOfPlaces(couponId);
        Map<Integer, Integer> decidedByInstance = decidedByInstance(couponId);
        System.out.println("line, three instances: " + given + " places, stock lowered from " + stock + " to "
                + lowered + " after " + issuedBeforeLowering + " issued, " + issuedIdsInPlaceOrder.size()
                + " issued, " + CouponFixtures.inversions(issuedIdsInPlaceOrder) + " inversions by id, "
                + CouponFixtures.inversions(issuedTimesInPlaceOrder) + " by issue time; places decided per instance "
                + decidedByInstance);

        assertThat(given).as("a place for each coupon of the stock at join, no more").isEqualTo(stock);
        for (int i = 0; i < given; i++) {
            Map<String, Object> place = places.get(i);
            assertThat(((Number) place.get("place_no")).longValue()).as("one sequence without gaps")
                    .isEqualTo(i + 1L);
            if (i < lowered) {
                assertThat(place.get("status")).as("place %d, within the stock", i + 1).isEqualTo("ISSUED");
            } else {
                assertThat(place.get("status") + " " + place.get("reason")).as("place %d, beyond the stock", i + 1)
                        .isEqualTo("REFUSED COUPON_SOLD_OUT");
            }
        }
        assertThat(issuedIdsInPlaceOrder).hasSize(Math.min(lowered, given));
        assertThat(CouponFixtures.inversions(issuedIdsInPlaceOrder)).as("row ids against place order").isZero();
        assertThat(CouponFixtures.inversions(issuedTimesInPlaceOrder)).as("issue times against place order")
                .isZero();
        assertThat(coupons.rows(couponId)).isEqualTo(lowered);
        assertThat(coupons.issuedCount(couponId)).as("the counter moved by the rows inserted").isEqualTo(lowered);
        assertThat(coupons.distinctHolders(couponId)).isEqualTo(lowered);
        assertThat(decidedByInstance.values().stream().mapToInt(Integer::intValue).sum())
                .as("each place decided once, by one decider").isEqualTo(given);
        assertThat(decidedByInstance).as("every instance's decider took its turns").hasSize(instances.size());
    }

    @Test
    @Order(2)
    void placesSurviveTheSigkillOfTheInstanceThatGaveThemAndItsRestart() {
        long couponId = coupons.openCoupon(100, 1);
        jdbc.update("UPDATE coupon SET paused = TRUE WHERE id = ?", couponId);
        List<ApiClient.TestUser> users = users(30);
        List<Long> places = new ArrayList<>();
        for (ApiClient.TestUser user : users) {
            HttpResponse<String> response = join(instances.get(0), user, couponId).join();
            assertThat(response.statusCode()).isEqualTo(202);
            places.add(json.readTree(response.body()).path("data").path("place").asLong());
        }

        instances.get(0).kill();
        for (int i = 0; i < users.size(); i++) {
            assertThat(placeOn(instances.get(1), users.get(i), couponId)).as("read on another instance")
                    .isEqualTo(places.get(i));
        }
        instances.set(0, ServiceProcess.start(database, redisDatabase, SETTINGS));
        for (int i = 0; i < users.size(); i++) {
            assertThat(json.readTree(join(instances.get(0), users.get(i), couponId).join().body()).path("data")
                    .path("place").asLong()).as("asked again on the restarted instance").isEqualTo(places.get(i));
        }
    }

    private List<ApiClient.TestUser> users(int count) {
        return TestUsers.insertWithTokens(jdbc, PasswordEncoderFactories.createDelegatingPasswordEncoder(), jwt, count);
    }

    private CompletableFuture<HttpResponse<String>> join(ServiceProcess instance, ApiClient.TestUser user,
                                                         long couponId) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/api/v1/coupons/" + couponId
                        + "/line")).timeout(Duration.ofSeconds(60)).header("Authorization", user.token())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A join asked again after each 503 (a transaction that outlived its time limit on a busy machine was rolled
     * back; asking again returns any place it gave), as the API tells a client to, after its Retry-After.
     */
    private CompletableFuture<HttpResponse<String>> joinUntilAnswered(ServiceProcess instance,
                                                                      ApiClient.TestUser user, long couponId,
                                                                      AtomicInteger retries) {
        return join(instance, user, couponId).thenCompose(response -> {
            if (response.statusCode() != 503 || retries.incrementAndGet() > MAX_RETRIES) {
                return CompletableFuture.completedFuture(response);
            }
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(retryAfter, TimeUnit.SECONDS))
                    .thenCompose(retry -> joinUntilAnswered(instance, user, couponId, retries));
        });
    }

    private long placeOn(ServiceProcess instance, ApiClient.TestUser user, long couponId) {
        HttpResponse<String> response = http.sendAsync(HttpRequest.newBuilder(URI.create(instance.baseUrl()
                        + "/api/v1/coupons/" + couponId + "/line/me")).timeout(Duration.ofSeconds(30))
                .header("Authorization", user.token()).GET().build(), HttpResponse.BodyHandlers.ofString()).join();
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body()).path("data").path("place").asLong();
    }

    private int placesGiven(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM waiting_place WHERE coupon_id = ?", Integer.class, couponId);
    }

    /** Each answer's status and place status, or its refusal's reason, counted. */
    private Map<String, Integer> answers(List<CompletableFuture<HttpResponse<String>>> joins) {
        Map<String, Integer> answers = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> joined : joins) {
            HttpResponse<String> response = joined.join();
            JsonNode body = json.readTree(response.body());
            String outcome = response.statusCode() == 409 ? body.path("reason").asString()
                    : response.statusCode() + " " + body.path("data").path("status").asString();
            answers.merge(outcome, 1, Integer::sum);
        }
        return answers;
    }

    /** Places of the coupon each instance's decider decided, by the instance's index, as its log says. */
    private Map<Integer, Integer> decidedByInstance(long couponId) {
        Map<Integer, Integer> decided = new TreeMap<>();
        for (int i = 0; i < instances.size(); i++) {
            try (Stream<String> lines = Files.lines(instances.get(i).log())) {
                int instance = i;
                lines.map(DECIDED::matcher).filter(Matcher::find)
                        .filter(found -> Long.parseLong(found.group(2)) == couponId)
                        .forEach(found -> decided.merge(instance, Integer.parseInt(found.group(1)), Integer::sum));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return decided;
    }
}
