package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.AdjustableClock;
import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.IntegrationTest;
import com.couponrush.user.Role;
import com.couponrush.user.UserService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Guessing and mass sign-up over HTTP, from one address (127.0.0.1). The application's clock is moved forward
 * to end a window, so nothing waits.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "app.throttle.sign-in.per-account=10",
        "app.throttle.sign-in.per-address=40",
        "app.throttle.sign-in.window=15m",
        "app.throttle.sign-up.per-address=5",
        "app.throttle.sign-up.window=10m"})
class AuthThrottleIT {

    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final AdjustableClock CLOCK = new AdjustableClock();

    @TestBean
    Clock clock;

    static Clock clock() {
        return CLOCK;
    }

    @Autowired
    ApiClient api;

    @Autowired
    UserService users;

    @BeforeEach
    void everyLimitStartsFull() {
        CLOCK.advance(WINDOW);
    }

    @Test
    void twentyWrongPasswordsLockOneAccountOnlyUntilTheWindowTurns() {
        String victim = account();
        String other = account();
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 20; i++) {
            last = signIn(victim, "Wrong-passw0rd!");
            statuses.add(last.status());
        }

        System.out.println("[throttle] 20 wrong passwords: " + statuses + "; last: " + last);
        assertThat(statuses.subList(0, 10)).containsOnly(401);
        assertThat(statuses.subList(10, 20)).containsOnly(429);
        assertThat(last.reason()).isEqualTo("TOO_MANY_SIGN_IN_ATTEMPTS");
        assertThat(last.body().path("code").asInt()).isEqualTo(429);
        long retryAfter = Long.parseLong(last.raw().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, WINDOW.toSeconds());
        assertThat(last.body().path("message").asString()).isEqualTo(
                "로그인 시도가 너무 많습니다. " + retryAfter + "초 후 다시 시도해 주세요.");
        assertThat(signIn(victim, ApiClient.PASSWORD).status()).as("the right password while locked").isEqualTo(429);
        assertThat(signIn(other, ApiClient.PASSWORD).status()).as("another account").isEqualTo(200);

        CLOCK.advance(WINDOW);

        Response afterTheWindow = signIn(victim, ApiClient.PASSWORD);
        assertThat(afterTheWindow.status()).as(afterTheWindow.toString()).isEqualTo(200);
        assertThat(afterTheWindow.data().path("accessToken").asString()).startsWith("Bearer ");
    }

    @Test
    void oneAddressGuessingAcrossManyAccountsIsStoppedWithRetryAfterInEnglish() {
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 45; i++) {
            last = api.send("POST", "/api/v1/auth/signin", Map.of("email", ApiClient.uniqueEmail("nobody"),
                    "password", "Wrong-passw0rd!"), null, Map.of("Accept-Language", "en"));
            statuses.add(last.status());
        }

        assertThat(statuses.subList(0, 40)).containsOnly(401);
        assertThat(statuses.subList(40, 45)).containsOnly(429);
        assertThat(last.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(last.body().path("message").asString()).startsWith("Too many sign-in attempts; try again in ");
    }

    @Test
    void aBurstOfSignUpsFromOneAddressIsThrottled() {
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 8; i++) {
            last = api.signUp(ApiClient.uniqueEmail("burst"), ApiClient.PASSWORD);
            statuses.add(last.status());
        }

        System.out.println("[throttle] 8 sign-ups from one address: " + statuses);
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
        assertThat(last.reason()).isEqualTo("TOO_MANY_SIGN_UPS");
        assertThat(last.raw().headers().firstValue("Retry-After")).isPresent();

        CLOCK.advance(Duration.ofMinutes(10));
        assertThat(api.signUp(ApiClient.uniqueEmail("later"), ApiClient.PASSWORD).status()).isEqualTo(200);
    }

    private String account() {
        String email = ApiClient.uniqueEmail("throttled");
        users.register(email, ApiClient.PASSWORD, "tester", null, Role.USER);
        return email;
    }

    private Response signIn(String email, String password) {
        return api.post("/api/v1/auth/signin", Map.of("email", email, "password", password), null);
    }
}
