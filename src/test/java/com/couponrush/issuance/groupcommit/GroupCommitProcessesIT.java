package com.couponrush.issuance.groupcommit;

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
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Two service processes sharing one database: exact sell-out across instances, then a SIGKILL of one of
 * them in the middle of a load, after which every 200 a client saw must be a committed row.
 */
@Tag("server-database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GroupCommitProcessesIT {

    private final JsonMapper json = new JsonMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService threads = Executors.newFixedThreadPool(100);
    private JdbcTemplate jdbc;
    private CouponFixtures coupons;
    private JwtEncoder jwt;
    private ServiceProcess first;
    private ServiceProcess second;

    @BeforeAll
    void startTwoInstances() {
        TestServices.Database database = TestServices.freshDatabase(TestDatabase.current());
        jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), database.user(), database.password()));
        coupons = new CouponFixtures(jdbc);
        jwt = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(
                TestServicesInitializer.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .algorithm(MacAlgorithm.HS256).build();
        int redisDatabase = TestServices.randomRedisDatabase();
        Map<String, String> groupCommit = Map.of("coupon.issuance.strategy", "group-commit");
        // one after the other: two JVMs starting at once on a busy 2-core machine can outlast the health wait
        first = ServiceProcess.start(database, redisDatabase, groupCommit);
        second = ServiceProcess.start(database, redisDatabase, groupCommit);
    }

    @AfterAll
    void stopInstances() {
        threads.shutdownNow();
        for (ServiceProcess service : new ServiceProcess[] {first, second}) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    @Order(1)
    void twoInstancesSellOutThreeHundredExactlyToFifteenHundredUsers() throws Exception {
        long couponId = coupons.openCoupon(300, 1);
        List<ApiClient.TestUser> users = TestUsers.insertWithTokens(jdbc, PasswordEncoderFactories
                .createDelegatingPasswordEncoder(), jwt, 1_500);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            ServiceProcess instance = i % 2 == 0 ? first : second;
            ApiClient.TestUser user = users.get(i);
            answers.add(threads.submit(() -> {
                start.await();
                HttpResponse<String> response = issue(instance, user.token(), couponId);
                return response.statusCode() == 200 ? "200" : json.readTree(response.body()).path("reason").asString();
            }));
        }
        start.countDown();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Future<String> answer : answers) {
            outcomes.merge(answer.get(), 1, Integer::sum);
        }

        System.out.println("group-commit, two instances, 1,500 users for 300 coupons: " + outcomes);
        assertThat(outcomes).isEqualTo(Map.of("200", 300, "COUPON_SOLD_OUT", 1_200));
        assertThat(coupons.rows(couponId)).isEqualTo(300);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(300);
    }

    @Test
    @Order(2)
    void sigkillInTheMiddleOfALoadLosesNoAcknowledgedIssuance() throws Exception {
        long couponId = coupons.openCoupon(1_000_000, 0);
        List<ApiClient.TestUser> users = TestUsers.insertWithTokens(jdbc, PasswordEncoderFactories
                .createDelegatingPasswordEncoder(), jwt, 50);
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<Future<?>> clients = new ArrayList<>();
        for (ApiClient.TestUser user : users) {
            clients.add(threads.submit(() -> {
                // each client keeps issuing until its connection to the victim breaks (bounded either way)
                for (int attempt = 0; attempt < 2_000 && !killed.get(); attempt++) {
                    try {
                        HttpResponse<String> response = issue(first, user.token(), couponId);
                        if (response.statusCode() == 200) {
                            JsonNode body = json.readTree(response.body());
                            acknowledged.add(body.path("data").path("userCouponId").asLong());
                        }
                    } catch (Exception connectionLost) {
                        failures.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 500);
        first.kill();
        killed.set(true);
        for (Future<?> client : clients) {
            client.get();
        }

        int rows = coupons.rows(couponId);
        int counter = coupons.issuedCount(couponId);
        int found = 0;
        List<Long> ids = new ArrayList<>(acknowledged);
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            found += jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = " + couponId
                    + " AND id IN (" + String.join(",", chunk.stream().map(String::valueOf).toList()) + ")",
                    Integer.class);
        }
        System.out.printf("group-commit SIGKILL mid-load: %d acknowledged, %d found, rows %d, counter %d,"
                + " clients cut off %d%n", acknowledged.size(), found, rows, counter, failures.get());
        assertThat(found).isEqualTo(acknowledged.size());
        assertThat(rows).isEqualTo(counter).isGreaterThanOrEqualTo(acknowledged.size());
        assertThat(counter).isLessThanOrEqualTo(1_000_000);
        HttpResponse<String> survivor = issue(second, users.get(0).token(), couponId);
        assertThat(survivor.statusCode()).as(survivor.body()).isEqualTo(200);
    }

    private HttpResponse<String> issue(ServiceProcess instance, String token, long couponId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/api/v1/user-coupon"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"couponId\":" + couponId + "}")).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
