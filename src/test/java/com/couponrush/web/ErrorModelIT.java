package com.couponrush.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The error envelope holds everywhere, including for errors raised outside the controllers. */
@IntegrationTest
class ErrorModelIT {

    @Autowired
    ApiClient api;

    @Test
    void messagesAreKoreanByDefaultAndEnglishOnRequest() {
        Response korean = api.get("/api/v1/coupons/987654321", null);
        Response english = api.send("GET", "/api/v1/coupons/987654321", null, null, Map.of("Accept-Language", "en"));
        Response englishUnauthenticated = api.send("GET", "/api/v1/users/me", null, null,
                Map.of("Accept-Language", "en-US,en;q=0.9"));
        Response koreanUnauthenticated = api.get("/api/v1/users/me", null);

        assertThat(korean.body().path("message").asString()).isEqualTo("쿠폰을 찾을 수 없습니다.");
        assertThat(english.body().path("message").asString()).isEqualTo("Coupon not found.");
        assertThat(englishUnauthenticated.body().path("message").asString()).isEqualTo("Authentication is required.");
        assertThat(koreanUnauthenticated.body().path("message").asString()).isEqualTo("인증이 필요합니다.");
    }

    @Test
    void validationMessagesFollowTheLanguageToo() {
        Response english = api.send("POST", "/api/v1/auth/signup", Map.of("email", "x@y.dev", "password", "weak",
                "nickname", "n"), null, Map.of("Accept-Language", "en"));

        assertThat(english.body().path("fieldErrors").get(0).path("message").asString()).startsWith("Password needs");
    }

    @Test
    void unknownPathsAreJson404ForSignedInCallers() {
        ApiClient.TestUser user = api.newUser();

        Response response = api.get("/api/v1/nothing-here", user.token());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.reason()).isEqualTo("NOT_FOUND");
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void refusalsCarryTheirLengthRatherThanBeingSentChunked() {
        ApiClient.TestUser user = api.newUser();
        Response notFound = api.issue(user, 987_654_321L);
        Response invalid = api.send("POST", "/api/v1/user-coupon", Map.of("couponId", -1), user.token(), Map.of());

        assertThat(notFound.reason()).isEqualTo("COUPON_NOT_FOUND");
        assertThat(invalid.reason()).isEqualTo("INVALID_INPUT");
        for (Response refusal : List.of(notFound, invalid)) {
            assertThat(refusal.raw().headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(refusal.raw().headers().firstValueAsLong("Content-Length"))
                    .hasValue((long) refusal.raw().body().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void aRejectedUrlIsA400InTheEnvelope() {
        Response response = api.exchange("GET", "/api/v1/coupons/%2e%2e/secret", null, Map.of());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("code").asInt()).isEqualTo(400);
    }

    @Test
    void healthMetricsAndApiDocsArePublished() {
        Response health = api.get("/actuator/health", null);
        Response prometheus = api.exchange("GET", "/actuator/prometheus", null,
                Map.of("Authorization", api.newAdmin().token()));
        Response docs = api.get("/v3/api-docs", null);
        Response info = api.get("/actuator/info", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asString()).isEqualTo("UP");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(info.body().path("build").path("artifact").asString()).isEqualTo("coupon-rush");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").has("/api/v1/user-coupon")).isTrue();
        assertThat(docs.body().path("paths").has("/api/v1/auth/signin")).isTrue();
    }
}
