package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.test.util.ReflectionTestUtils;

/** The no-database baseline the load test compares issuance with. */
@IntegrationTest
class AuthPingIT {

    @Autowired
    ApiClient api;
    @Autowired
    FilterChainProxy springSecurityFilterChain;
    @Autowired
    MeterRegistry meters;

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

        assertThat(ReflectionTestUtils.getField(springSecurityFilterChain, "filterChainDecorator"))
                .isNotInstanceOf(ObservationFilterChainDecorator.class);
        assertThat(meters.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("spring.security"));
    }
}
