package com.couponrush.issuance.line;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.crypto.spec.SecretKeySpec;
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
 * Two service processes sharing one database: one sequence of places per coupon whichever instance gives them,
 * decided in place order by both instances' deciders; places that survive the SIGKILL of the instance that gave
 * them and its restart.
 */
@Tag("server-database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WaitingLineProcessesIT {

    private final JsonMapper json = new JsonMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestServices.Database database;
    private int redisDatabase;
    private JdbcTemplate jdbc;
    private CouponFixtures coupons;
    private JwtEncoder jwt;
    private ServiceProcess first;
    private ServiceProcess second;

    @BeforeAll
    void startTwoInstances() {
        database = TestServices.freshDatabase(TestDatabase.current());
        jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), database.user(), database.password()));
        coupons = new CouponFixtures(jdbc);
        jwt = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(
                TestServicesInitializer.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .algorithm(MacAlgorithm.HS256).build();
        redisDatabase = TestServices.randomRedisDatabase();
        first = ServiceProcess.start(database, redisDatabase, Map.of());
        second = ServiceProcess.start(database, redisDatabase, Map.of());
    }

    @AfterAll
    void stopInstances() {
        for (ServiceProcess service : new ServiceProcess[] {first, second}) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    @Order(1)
    void twoInstancesGiveOneSequenceAndDecideItInOrderWhileTheCrowdJoins() {
        long couponId = coupons.openCoupon(400, 1);
        List<ApiClient.TestUser> users = users(800);

        List<CompletableFuture<HttpResponse<String>>> joins = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            joins.add(join(i % 2 == 0 ? first : second, users.get(i), couponId));
        }
        Map<String, Integer> answers = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> joined : joins) {
            HttpResponse<String> response = joined.join();
            JsonNode body = json.readTree(response.body());
            String outcome = response.statusCode() == 409 ? body.path("reason").asString()
                    : response.statusCode() + " " + body.path("data").path("status").asString();
            answers.merge(outcome, 1, Integer::sum);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM waiting_place WHERE coupon_id = ? AND status = 'WAITING'", Integer.class,
                couponId) == 0);

        List<Long> placeNumbers = jdbc.queryForList("SELECT place_no FROM waiting_place WHERE coupon_id = ?"
                + " ORDER BY place_no", Long.class, couponId);
        List<Long> issuedInPlaceOrder = jdbc.queryForList("SELECT user_coupon_id FROM waiting_place"
                + " WHERE coupon_id = ? AND status = 'ISSUED' ORDER BY place_no", Long.class, couponId);
        System.out.println("line, two instances, 800 joins for 400 coupons: answers " + answers + ", "
                + placeNumbers.size() + " places, " + issuedInPlaceOrder.size() + " issued, "
                + inversions(issuedInPlaceOrder) + " inversions");
        for (int i = 0; i < placeNumbers.size(); i++) {
            assertThat(placeNumbers.get(i)).as("one sequence without gaps").isEqualTo(i + 1L);
        }
        assertThat(issuedInPlaceOrder).hasSize(400);
        assertThat(inversions(issuedInPlaceOrder)).as("issuance order against place order").isZero();
        assertThat(coupons.rows(couponId)).isEqualTo(400);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(400);
        assertThat(coupons.distinctHolders(couponId)).isEqualTo(400);
        assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(800);
        assertThat(answers.keySet()).allMatch(answer -> answer.startsWith("202") || answer.startsWith("200")
                || answer.equals("COUPON_SOLD_OUT"));
    }

    @Test
    @Order(2)
    void placesSurviveTheSigkillOfTheInstanceThatGaveThemAndItsRestart() {
        long couponId = coupons.openCoupon(100, 1);
        jdbc.update("UPDATE coupon SET paused = TRUE WHERE id = ?", couponId);
        List<ApiClient.TestUser> users = users(30);
        List<Long> places = new ArrayList<>();
        for (ApiClient.TestUser user : users) {
            HttpResponse<String> response = join(first, user, couponId).join();
            assertThat(response.statusCode()).isEqualTo(202);
            places.add(json.readTree(response.body()).path("data").path("place").asLong());
        }

        first.kill();
        for (int i = 0; i < users.size(); i++) {
            assertThat(placeOn(second, users.get(i), couponId)).as("read on the other instance")
                    .isEqualTo(places.get(i));
        }
        first = ServiceProcess.start(database, redisDatabase, Map.of());
        for (int i = 0; i < users.size(); i++) {
            assertThat(json.readTree(join(first, users.get(i), couponId).join().body()).path("data").path("place")
                    .asLong()).as("asked again on the restarted instance").isEqualTo(places.get(i));
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

    private long placeOn(ServiceProcess instance, ApiClient.TestUser user, long couponId) {
        HttpResponse<String> response = http.sendAsync(HttpRequest.newBuilder(URI.create(instance.baseUrl()
                        + "/api/v1/coupons/" + couponId + "/line/me")).timeout(Duration.ofSeconds(30))
                .header("Authorization", user.token()).GET().build(), HttpResponse.BodyHandlers.ofString()).join();
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body()).path("data").path("place").asLong();
    }

    private static long inversions(List<Long> ids) {
        long inversions = 0;
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                if (ids.get(i) > ids.get(j)) {
                    inversions++;
                }
            }
        }
        return inversions;
    }
}
