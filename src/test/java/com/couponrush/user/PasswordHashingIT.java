package com.couponrush.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Hashing a password (BCrypt, slow on purpose) never holds a pool connection: not inside a transaction, and with
 * nothing (an entity manager, a connection) bound to the thread. Otherwise a burst of sign-ups would take the pool
 * from the issuance engine for the hashing time.
 */
@IntegrationTest
@Import(PasswordHashingIT.Watched.class)
class PasswordHashingIT {

    @Autowired
    ApiClient api;
    @Autowired
    Watched hashing;

    @BeforeEach
    void forgetEarlierCalls() {
        hashing.calls.clear();
        hashing.heldWhileHashing.clear();
    }

    @Test
    void signUpSignInAndPasswordChangeHashOutsideEveryTransaction() {
        String email = ApiClient.uniqueEmail("hashing");
        assertThat(api.signUp(email, ApiClient.PASSWORD).status()).isEqualTo(200);
        String token = api.signIn(email, ApiClient.PASSWORD);
        assertThat(api.put("/api/v1/users",
                Map.of("oldPassword", ApiClient.PASSWORD, "newPassword", "NewPassw0rd!"), token).status())
                .isEqualTo(200);
        assertThat(api.signIn(email, "NewPassw0rd!")).startsWith("Bearer ");
        api.newAdmin();

        assertThat(hashing.calls.stream().filter("encode"::equals)).as("sign-up, change, admin")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(hashing.calls.stream().filter("matches"::equals)).as("sign-ins, change")
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(hashing.heldWhileHashing).isEmpty();
    }

    @Test
    void aTakenAddressIsRefusedBeforeAnyHashing() {
        String email = ApiClient.uniqueEmail("taken");
        assertThat(api.signUp(email, ApiClient.PASSWORD).status()).isEqualTo(200);
        int encodedBefore = (int) hashing.calls.stream().filter("encode"::equals).count();

        ApiClient.Response again = api.signUp(email.toUpperCase(), ApiClient.PASSWORD);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.reason()).isEqualTo("EMAIL_ALREADY_EXISTS");
        assertThat(hashing.calls.stream().filter("encode"::equals)).hasSize(encodedBefore);
        assertThat(hashing.heldWhileHashing).isEmpty();
    }

    /** Wraps the application's password encoder and notes what the thread held at each hash or check. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Watched {

        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> heldWhileHashing = new CopyOnWriteArrayList<>();

        @Bean
        static BeanPostProcessor watchedPasswordEncoder(Watched watched) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof PasswordEncoder encoder ? watched.around(encoder) : bean;
                }
            };
        }

        private PasswordEncoder around(PasswordEncoder encoder) {
            return new PasswordEncoder() {
                @Override
                public @Nullable String encode(@Nullable CharSequence rawPassword) {
                    note("encode");
                    return encoder.encode(rawPassword);
                }

                @Override
                public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
                    note("matches");
                    return encoder.matches(rawPassword, encodedPassword);
                }

                @Override
                public boolean upgradeEncoding(@Nullable String encodedPassword) {
                    return encoder.upgradeEncoding(encodedPassword);
                }
            };
        }

        private void note(String call) {
            calls.add(call);
            if (TransactionSynchronizationManager.isActualTransactionActive()
                    || !TransactionSynchronizationManager.getResourceMap().isEmpty()) {
                heldWhileHashing.add(call + " in transaction "
                        + TransactionSynchronizationManager.getCurrentTransactionName() + " holding "
                        + TransactionSynchronizationManager.getResourceMap().keySet());
            }
        }
    }
}
