package com.couponrush.holding;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class HoldingApiIT {

    @Autowired
    ApiClient api;

    @Test
    void usersSeeOnlyTheirOwnCouponsAndUseThemOnce() {
        ApiClient.TestUser admin = api.newAdmin();
        ApiClient.TestUser owner = api.newUser();
        ApiClient.TestUser stranger = api.newUser();
        long couponId = api.createCoupon(admin, 10, null);
        long userCouponId = api.issue(owner, couponId).data().path("userCouponId").asLong();

        assertThat(api.get("/api/v1/user-coupon", stranger.token()).data()).isEmpty();
        Response byStranger = api.post("/api/v1/user-coupon/" + userCouponId + "/use", null, stranger.token());
        Response used = api.post("/api/v1/user-coupon/" + userCouponId + "/use", null, owner.token());
        Response usedAgain = api.post("/api/v1/user-coupon/" + userCouponId + "/use", null, owner.token());
        Response unknown = api.post("/api/v1/user-coupon/987654321/use", null, owner.token());

        assertThat(byStranger.status()).isEqualTo(403);
        assertThat(byStranger.reason()).isEqualTo("USER_COUPON_NOT_OWNED");
        assertThat(used.status()).isEqualTo(200);
        assertThat(usedAgain.status()).isEqualTo(409);
        assertThat(usedAgain.reason()).isEqualTo("USER_COUPON_ALREADY_USED");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.reason()).isEqualTo("USER_COUPON_NOT_FOUND");
        assertThat(api.get("/api/v1/user-coupon", owner.token()).data().get(0).path("status").asString())
                .isEqualTo("USED");
    }
}
