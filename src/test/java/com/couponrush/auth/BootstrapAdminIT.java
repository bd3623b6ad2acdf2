package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

@IntegrationTest
@TestPropertySource(properties = {
        "app.bootstrap-admin.email=boss@coupon-rush.dev",
        "app.bootstrap-admin.password=B0ssPassw0rd!"})
class BootstrapAdminIT {

    @Autowired
    ApiClient api;

    @Autowired
    BootstrapAdmin bootstrapAdmin;

    @Test
    void theConfiguredAdminExistsAtStartUpAndCanCreateCoupons() {
        String token = api.signIn("boss@coupon-rush.dev", "B0ssPassw0rd!");

        assertThat(api.get("/api/v1/users/me", token).data().path("role").asString()).isEqualTo("ADMIN");
        ApiClient.TestUser admin = new ApiClient.TestUser(0, "boss@coupon-rush.dev", token);
        assertThat(api.createCoupon(admin, 10, null)).isPositive();
    }

    @Test
    void startingAgainDoesNotDuplicateOrReset() throws Exception {
        bootstrapAdmin.run(null);

        assertThat(api.signIn("boss@coupon-rush.dev", "B0ssPassw0rd!")).startsWith("Bearer ");
    }
}
