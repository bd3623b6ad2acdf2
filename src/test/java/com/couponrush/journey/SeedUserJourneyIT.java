package com.couponrush.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The seed's user journey end to end over HTTP: sign up, admin creates a coupon, sign in, issue, list, use. */
@IntegrationTest
class SeedUserJourneyIT {

    @Autowired
    ApiClient api;

    @Test
    void signUpThenAdminCreatesCouponThenSignInIssueListAndUse() {
        String email = ApiClient.uniqueEmail("journey");
        Response signUp = api.signUp(email, ApiClient.PASSWORD);
        assertThat(signUp.status()).isEqualTo(200);
        assertThat(signUp.body().path("code").asInt()).isEqualTo(200);
        assertThat(signUp.body().path("status").asString()).isEqualTo("OK");

        ApiClient.TestUser admin = api.newAdmin();
        long couponId = api.createCoupon(admin, 100, null);

        String token = api.signIn(email, ApiClient.PASSWORD);
        assertThat(token).startsWith("Bearer ");
        ApiClient.TestUser user = new ApiClient.TestUser(signUp.data().path("userId").asLong(), email, token);

        Response issued = api.issue(user, couponId);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        long userCouponId = issued.data().path("userCouponId").asLong();
        assertThat(userCouponId).isPositive();

        Response list = api.get("/api/v1/user-coupon", token);
        assertThat(list.status()).isEqualTo(200);
        JsonNode held = list.data();
        assertThat(held).hasSize(1);
        assertThat(held.get(0).path("id").asLong()).isEqualTo(userCouponId);
        assertThat(held.get(0).path("status").asString()).isEqualTo("ISSUED");
        for (String field : new String[] {"name", "description", "discountAmount", "startDate", "endDate",
                "createdAt", "modifiedAt"}) {
            assertThat(held.get(0).has(field)).as(field).isTrue();
        }

        Response use = api.post("/api/v1/user-coupon/" + userCouponId + "/use", null, token);
        assertThat(use.status()).as(use.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/user-coupon", token).data().get(0).path("status").asString()).isEqualTo("USED");

        Response coupon = api.get("/api/v1/coupons/" + couponId, null);
        assertThat(coupon.data().path("issuedCount").asInt()).isEqualTo(1);
        assertThat(coupon.data().path("remaining").asInt()).isEqualTo(99);
    }
}
