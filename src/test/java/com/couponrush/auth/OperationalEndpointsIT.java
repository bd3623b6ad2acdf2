package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Metrics are for operators; the probes and build info answer anyone, as orchestrators expect. */
@IntegrationTest
class OperationalEndpointsIT {

    private static final List<String> METRICS = List.of("/actuator/prometheus", "/actuator/metrics",
            "/actuator/metrics/coupon.issuance");
    private static final List<String> PROBES = List.of("/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness", "/actuator/info");

    @Autowired
    ApiClient api;

    @Test
    void metricsRefuseAnonymousCallersAndUsersInTheEnvelope() {
        ApiClient.TestUser user = api.newUser();
        for (String path : METRICS) {
            Response anonymous = api.exchange("GET", path, null, Map.of());
            Response signedInUser = api.exchange("GET", path, null, Map.of("Authorization", user.token()));

            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.reason()).as(path).isEqualTo("UNAUTHENTICATED");
            assertThat(anonymous.raw().headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(signedInUser.status()).as(path).isEqualTo(403);
            assertThat(signedInUser.reason()).as(path).isEqualTo("ACCESS_DENIED");
        }
    }

    @Test
    void anAdminReadsTheMetrics() {
        ApiClient.TestUser admin = api.newAdmin();

        Response prometheus = api.exchange("GET", "/actuator/prometheus", null, Map.of("Authorization", admin.token()));
        Response metrics = api.get("/actuator/metrics", admin.token());

        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.raw().body()).contains("http_server_requests_seconds_count");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body().path("names").toString()).contains("http.server.requests");
    }

    @Test
    void probesAndInfoAnswerAnyone() {
        for (String path : PROBES) {
            Response response = api.get(path, null);

            assertThat(response.status()).as(path).isEqualTo(200);
        }
        assertThat(api.get("/actuator/health/readiness", null).body().path("status").asString()).isEqualTo("UP");
    }
}
