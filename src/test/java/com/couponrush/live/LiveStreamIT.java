package com.couponrush.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.TestUser;
import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The two event streams over plain HTTP: who may read them, and that they carry the metrics' own counts. */
@IntegrationTest
class LiveStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    ApiClient api;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theConsoleStreamIsForAdminsOnly() {
        assertThat(api.get("/api/v1/live/console", null).status()).isEqualTo(401);
        ApiClient.Response forUser = api.get("/api/v1/live/console", api.newUser().token());
        assertThat(forUser.status()).isEqualTo(403);
        assertThat(forUser.reason()).isEqualTo("ACCESS_DENIED");
    }

    @Test
    void theConsoleStreamCountsIssuancesAndRejectionsExactlyAsTheMetricsDo() throws Exception {
        TestUser admin = api.newAdmin();
        long couponId = api.createCoupon(admin, 3, null);
        try (Snapshots console = follow("/api/v1/live/console", admin.token())) {
            TestUser first = api.newUser();
            assertThat(api.issue(first, couponId).status()).isEqualTo(200);
            assertThat(api.issue(first, couponId).reason()).isEqualTo("PER_USER_LIMIT_REACHED");
            assertThat(api.issue(api.newUser(), couponId).status()).isEqualTo(200);
            assertThat(api.issue(api.newUser(), couponId).status()).isEqualTo(200);
            assertThat(api.issue(api.newUser(), couponId).reason()).isEqualTo("COUPON_SOLD_OUT");

            JsonNode coupon = await().atMost(WAIT).until(() -> console.coupon(couponId),
                    c -> c != null && c.path("remaining").asInt() == 0 && c.path("soldOutInSeconds").isNumber()
                            && c.path("rejectionsByReason").path("COUPON_SOLD_OUT").asLong() == 1);
            assertThat(coupon.path("issuedCount").asInt()).isEqualTo(3);
            assertThat(coupon.path("status").asString()).isEqualTo("SOLD_OUT");
            assertThat(coupon.path("issuedOutcomes").asLong()).isEqualTo(3);
            assertThat(coupon.path("rejectionsByReason").path("PER_USER_LIMIT_REACHED").asLong()).isEqualTo(1);
            int perSecondSum = 0;
            for (JsonNode second : coupon.path("issuedPerSecond")) {
                perSecondSum += second.asInt();
            }
            assertThat(perSecondSum).isEqualTo(3);

            // The same numbers the metrics endpoint publishes for this coupon.
            assertThat(metricCount(admin, couponId, "ISSUED")).isEqualTo(3);
            assertThat(metricCount(admin, couponId, "COUPON_SOLD_OUT")).isEqualTo(1);
            assertThat(metricCount(admin, couponId, "PER_USER_LIMIT_REACHED")).isEqualTo(1);
        }
    }

    @Test
    void thePublicStreamNeedsNoTokenAndShowsCountsAndTheOpeningCountdownOnly() throws Exception {
        TestUser admin = api.newAdmin();
        var now = java.time.LocalDateTime.now();
        long upcoming = api.createCoupon(admin, api.couponBody(5, null, now.plusMinutes(10), now.plusDays(1)));
        long open = api.createCoupon(admin, 5, null);
        try (Snapshots page = follow("/api/v1/live/coupons", null)) {
            assertThat(api.issue(api.newUser(), open).status()).isEqualTo(200);

            JsonNode openCoupon = await().atMost(WAIT).until(() -> page.coupon(open),
                    c -> c != null && c.path("remaining").asInt() == 4);
            assertThat(openCoupon.path("status").asString()).isEqualTo("OPEN");
            assertThat(openCoupon.has("rejectionsByReason")).isFalse();
            JsonNode upcomingCoupon = page.coupon(upcoming);
            assertThat(upcomingCoupon.path("status").asString()).isEqualTo("UPCOMING");
            assertThat(upcomingCoupon.path("opensInMillis").asLong())
                    .isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
        }
    }

    private long metricCount(TestUser admin, long couponId, String outcome) {
        ApiClient.Response metric = api.get("/actuator/metrics/coupon.issuance?tag=coupon:" + couponId
                + "&tag=outcome:" + outcome, admin.token());
        assertThat(metric.status()).as(metric.toString()).isEqualTo(200);
        for (JsonNode measurement : metric.body().path("measurements")) {
            if (measurement.path("statistic").asString().equals("COUNT")) {
                return measurement.path("value").asLong();
            }
        }
        throw new AssertionError("no COUNT in " + metric);
    }

    private Snapshots follow(String path, String token) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", token);
        }
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            return new Snapshots(response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the latest snapshot of an open stream, read on its own thread until closed. */
    private static final class Snapshots implements AutoCloseable {

        private final Stream<String> lines;
        private final AtomicReference<JsonNode> latest = new AtomicReference<>();
        private final Thread reader;

        Snapshots(Stream<String> lines, JsonMapper json) {
            this.lines = lines;
            this.reader = new Thread(() -> {
                try {
                    lines.filter(line -> line.startsWith("data:"))
                            .forEach(line -> latest.set(json.readTree(line.substring("data:".length()))));
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        JsonNode coupon(long couponId) {
            JsonNode snapshot = latest.get();
            if (snapshot == null) {
                return null;
            }
            for (JsonNode coupon : snapshot.path("coupons")) {
                if (coupon.path("couponId").asLong() == couponId) {
                    return coupon;
                }
            }
            return null;
        }

        @Override
        public void close() throws InterruptedException {
            lines.close();
            reader.join(Duration.ofSeconds(5).toMillis());
        }
    }
}
