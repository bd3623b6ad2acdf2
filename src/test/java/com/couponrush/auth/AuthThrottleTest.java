package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.support.AdjustableClock;
import com.couponrush.support.Race;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    private static final Duration WINDOW = Duration.ofMinutes(15);

    private final AdjustableClock clock = new AdjustableClock();

    private AuthThrottle throttle(int perAccount, int perAddress, int signUps, int maxTracked) {
        return new AuthThrottle(new ThrottleProperties(new ThrottleProperties.SignIn(perAccount, perAddress, WINDOW),
                new ThrottleProperties.SignUp(signUps, WINDOW), maxTracked), clock);
    }

    @Test
    void twoHundredConcurrentGuessesAtOneAccountGetExactlyTenPasswordChecks() {
        AuthThrottle throttle = throttle(10, 1_000, 1, 1_000);
        AtomicInteger passwordChecks = new AtomicInteger();

        Race.Result race = Race.run(20, 200, attempt -> throttle.signIn("Kim@Example.com", "10.0.0." + attempt % 50,
                () -> {
                    passwordChecks.incrementAndGet();
                    LockSupport.parkNanos(Duration.ofMillis(2).toNanos()); // a password hash takes its time
                    return Optional.empty();
                }));

        System.out.println("[throttle] 200 concurrent wrong guesses at one account: " + race);
        assertThat(passwordChecks.get()).isEqualTo(10);
        assertThat(race.successes()).isEqualTo(10);
        assertThat(race.count(ErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS.name())).isEqualTo(190);
    }

    @Test
    void aLockedAccountRefusesEvenTheRightPasswordUntilTheWindowTurnsWithRetryAfter() {
        AuthThrottle throttle = throttle(3, 1_000, 1, 1_000);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.signIn("kim@example.com", "10.0.0.1", Optional::empty)).isEmpty();
        }

        assertThatThrownBy(() -> throttle.signIn("KIM@example.com ", "10.0.0.2", () -> Optional.of("kim")))
                .isInstanceOfSatisfying(RetryableApiException.class, refusal -> {
                    assertThat(refusal.errorCode()).isEqualTo(ErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS);
                    assertThat(refusal.retryAfterSeconds()).isBetween(1L, WINDOW.toSeconds());
                });
        assertThat(throttle.signIn("lee@example.com", "10.0.0.1", () -> Optional.of("lee"))).contains("lee");

        clock.advance(WINDOW);
        assertThat(throttle.signIn("kim@example.com", "10.0.0.1", () -> Optional.of("kim"))).contains("kim");
    }

    @Test
    void aRightPasswordForgivesTheAccountsEarlierFailures() {
        AuthThrottle throttle = throttle(3, 1_000, 1, 1_000);
        throttle.signIn("kim@example.com", "10.0.0.1", Optional::empty);
        throttle.signIn("kim@example.com", "10.0.0.1", Optional::empty);
        throttle.signIn("kim@example.com", "10.0.0.1", () -> Optional.of("kim"));

        for (int i = 0; i < 3; i++) {
            assertThat(throttle.signIn("kim@example.com", "10.0.0.1", Optional::empty)).isEmpty();
        }
    }

    @Test
    void oneAddressGuessingAcrossAccountsIsStoppedByTheAddressLimit() {
        AuthThrottle throttle = throttle(10, 5, 1, 1_000);
        for (int i = 0; i < 5; i++) {
            throttle.signIn("victim-" + i + "@example.com", "10.0.0.9", Optional::empty);
        }

        assertThatThrownBy(() -> throttle.signIn("victim-6@example.com", "10.0.0.9", Optional::empty))
                .isInstanceOfSatisfying(RetryableApiException.class,
                        refusal -> assertThat(refusal.errorCode()).isEqualTo(ErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS));
        assertThat(throttle.signIn("victim-6@example.com", "10.0.0.10", Optional::empty)).isEmpty();
    }

    @Test
    void signUpsArePerAddressAndOneIPv6Slash64IsOneClient() {
        AuthThrottle throttle = throttle(10, 100, 2, 1_000);
        throttle.signUp("2001:db8:1:2::1");
        throttle.signUp("2001:db8:1:2:ffff::9");

        assertThatThrownBy(() -> throttle.signUp("2001:db8:1:2:0:0:0:3"))
                .isInstanceOfSatisfying(RetryableApiException.class,
                        refusal -> assertThat(refusal.errorCode()).isEqualTo(ErrorCode.TOO_MANY_SIGN_UPS));
        throttle.signUp("2001:db8:1:3::1");
        throttle.signUp("192.0.2.1");
    }

    @Test
    void aHundredThousandAddressesAreRememberedAtMostMaxTracked() {
        AttemptLimit limit = new AttemptLimit(1, WINDOW, 1_000, clock);
        for (int i = 0; i < 100_000; i++) {
            limit.take("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }

        assertThat(limit.trackedKeys()).isLessThanOrEqualTo(1_000);
    }
}
