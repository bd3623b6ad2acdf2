package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.TcpProxy;
import com.couponrush.support.TestServicesInitializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/** The database goes away under the engine and comes back: fast 503s meanwhile, no over-issue, self-healing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = GroupCommitOutageIT.ThroughProxy.class)
@Import(ApiClient.class)
@Tag("server-database")
class GroupCommitOutageIT {

    static TcpProxy proxy;

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
            proxy = TcpProxy.forward(Integer.parseInt(server.group(2)));
            TestPropertyValues.of("spring.datasource.url=" + server.replaceFirst("//127.0.0.1:" + proxy.port() + "/"))
                    .applyTo(context);
        }
    }

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;

    @AfterAll
    static void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void whileTheDatabaseIsGoneRequestsFailFastAndIssuanceResumesByItself() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 1_000, 0);
        ApiClient.TestUser user = api.newUser();
        assertThat(api.issue(user, couponId).status()).isEqualTo(200);
        int issuedBefore = 1;

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
        int rows = jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ?", Integer.class,
                couponId);
        int counter = jdbc.queryForObject("SELECT issued_count FROM coupon WHERE id = ?", Integer.class, couponId);
        System.out.printf("group-commit after the outage: rows %d, counter %d%n", rows, counter);
        assertThat(rows).isEqualTo(counter).isGreaterThanOrEqualTo(issuedBefore + 1);
    }
}
