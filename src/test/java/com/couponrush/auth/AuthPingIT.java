package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ReflectionUtils;

/** The no-database baseline the load test compares issuance with. */
@IntegrationTest
class AuthPingIT {

    @Autowired
    ApiClient api;
    @Autowired
    FilterChainProxy springSecurityFilterChain;
    @Autowired
    MeterRegistry meters;
    @Autowired
    HttpFirewall firewall;

    @Test
    void pingAnswersTheCallersIdAndNeedsAToken() {
        ApiClient.TestUser user = api.newUser();

        ApiClient.Response ping = api.get("/api/v1/auth/ping", user.token());

        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.data().path("userId").asLong()).isEqualTo(user.id());
        assertThat(api.get("/api/v1/auth/ping", null).status()).isEqualTo(401);
    }

    /** Spring Security's observations are spans this service does not export: not even their wrappers run. */
    @Test
    void springSecurityRunsWithoutObservationWrappers() {
        ApiClient.TestUser user = api.newUser();

        assertThat(api.get("/api/v1/auth/ping", user.token()).status()).isEqualTo(200);

        assertThat(ReflectionTestUtils.getField(filterChainProxyInUse(), "filterChainDecorator"))
                .isNotInstanceOf(ObservationFilterChainDecorator.class);
        assertThat(meters.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("spring.security"));
    }

    /** The firewall and the token resolver that skip the regular expressions are the ones in the chain. */
    @Test
    void springSecurityChecksHeadersAndTokensWithoutRegularExpressions() {
        assertThat(ReflectionTestUtils.getField(filterChainProxyInUse(), "firewall")).isSameAs(firewall);
        assertThat(springSecurityFilterChain.getFilterChains()).flatExtracting(SecurityFilterChain::getFilters)
                .filteredOn(BearerTokenAuthenticationFilter.class::isInstance)
                .singleElement()
                .satisfies(filter -> assertThat(ReflectionTestUtils.getField(
                        ReflectionTestUtils.getField(filter, "authenticationConverter"), "bearerTokenResolver"))
                        .isInstanceOf(BearerHeaderTokens.class));
    }

    /** Tokens the quick check leaves to Spring Security are answered as Spring Security answers them. */
    @Test
    void tokensInAnotherSpellingOrMalformedAreDecidedByTheLibrary() {
        ApiClient.TestUser user = api.newUser();
        String token = user.token().replaceFirst("^Bearer ", "");

        assertThat(api.get("/api/v1/auth/ping", "bearer " + token).status()).isEqualTo(200);
        ApiClient.Response malformed = api.get("/api/v1/auth/ping", "Bearer " + token + " x");
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(malformed.reason()).isEqualTo("UNAUTHENTICATED");
        assertThat(api.get("/api/v1/auth/ping", "Bearer " + token + "x").status()).as("a bad signature")
                .isEqualTo(401);
    }

    /**
     * The proxy that runs the chains: the bean is a composite around it when Spring MVC is present
     * (Spring Security's WebMvcSecurityConfiguration), whose own firewall and decorator are never used.
     */
    private Object filterChainProxyInUse() {
        Field inner = ReflectionUtils.findField(springSecurityFilterChain.getClass(), "springSecurityFilterChain");
        return inner == null ? springSecurityFilterChain
                : ReflectionTestUtils.getField(springSecurityFilterChain, "springSecurityFilterChain");
    }
}
