package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The no-database baseline the load test compares issuance with. */
@IntegrationTest
class AuthPingIT {

    @Autowired
    ApiClient api;

    @Test
    void pingAnswersTheCallersIdAndNeedsAToken() {
        ApiClient.TestUser user = api.newUser();

        ApiClient.Response ping = api.get("/api/v1/auth/ping", user.token());

        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.data().path("userId").asLong()).isEqualTo(user.id());
        assertThat(api.get("/api/v1/auth/ping", null).status()).isEqualTo(401);
    }
}
