package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class IssuanceApiIT {

    @Autowired
    ApiClient api;

    @Autowired
    JdbcTemplate jdbc;

    CouponFixtures coupons;

    @BeforeEach
    void fixtures() {
        coupons = new CouponFixtures(jdbc);
    }

    @Test
    void issuingNeedsAuthentication() {
        Response response = api.post("/api/v1/user-coupon", Map.of("couponId", 1), null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.reason()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void unknownCouponIsNotFound() {
        Response response = api.issue(api.newUser(), 987654321L);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.reason()).isEqualTo("COUPON_NOT_FOUND");
    }

    @Test
    void outsideTheWindowIsRefusedWithTheReasonAndWritesNothing() {
        ApiClient.TestUser admin = api.newAdmin();
        ApiClient.TestUser user = api.newUser();
        LocalDateTime now = LocalDateTime.now();
        long upcoming = api.createCoupon(admin, api.couponBody(10, null, now.plusHours(1), now.plusHours(2)));
        long ended = api.createCoupon(admin, api.couponBody(10, null, now.minusHours(2), now.minusHours(1)));

        Response early = api.issue(user, upcoming);
        Response late = api.issue(user, ended);

        assertThat(early.status()).isEqualTo(409);
        assertThat(early.reason()).isEqualTo("COUPON_NOT_STARTED");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.reason()).isEqualTo("COUPON_ENDED");
        assertThat(coupons.issuedCount(upcoming)).isZero();
        assertThat(coupons.rows(upcoming)).isZero();
        assertThat(coupons.rows(ended)).isZero();
    }

    @Test
    void soldOutIsRefusedOnceTheQuantityIsGone() {
        ApiClient.TestUser admin = api.newAdmin();
        long couponId = api.createCoupon(admin, 1, null);

        Response first = api.issue(api.newUser(), couponId);
        Response second = api.issue(api.newUser(), couponId);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.reason()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(second.body().path("message").asString()).isEqualTo("쿠폰이 모두 소진되었습니다.");
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
        assertThat(coupons.rows(couponId)).isEqualTo(1);
    }

    @Test
    void theDefaultPerUserLimitIsOneAndRefusalLeavesTheCounterAlone() {
        ApiClient.TestUser admin = api.newAdmin();
        ApiClient.TestUser user = api.newUser();
        long couponId = api.createCoupon(admin, 10, null);

        Response first = api.issue(user, couponId);
        Response second = api.issue(user, couponId);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.reason()).isEqualTo("PER_USER_LIMIT_REACHED");
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
        assertThat(coupons.rows(couponId)).isEqualTo(1);
    }

    @Test
    void anUnlimitedCouponCanBeIssuedManyTimesToOneUser() {
        ApiClient.TestUser admin = api.newAdmin();
        ApiClient.TestUser user = api.newUser();
        long couponId = api.createCoupon(admin, 10, 0);

        for (int i = 0; i < 3; i++) {
            assertThat(api.issue(user, couponId).status()).isEqualTo(200);
        }
        assertThat(coupons.rows(couponId)).isEqualTo(3);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(3);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstResult() {
        ApiClient.TestUser admin = api.newAdmin();
        ApiClient.TestUser user = api.newUser();
        long couponId = api.createCoupon(admin, 10, 0);

        Response first = api.issue(user, couponId, "click-1");
        Response retry = api.issue(user, couponId, "click-1");
        Response another = api.issue(user, couponId, "click-2");

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.data().path("userCouponId").asLong()).isEqualTo(first.data().path("userCouponId").asLong());
        assertThat(another.data().path("userCouponId").asLong()).isNotEqualTo(first.data().path("userCouponId").asLong());
        assertThat(coupons.rows(couponId)).isEqualTo(2);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(2);
    }

    @Test
    void badIssueRequestsAreNamedClientErrors() {
        ApiClient.TestUser user = api.newUser();

        Response missing = api.post("/api/v1/user-coupon", Map.of(), user.token());
        Response negative = api.post("/api/v1/user-coupon", Map.of("couponId", -1), user.token());
        Response wrongType = api.post("/api/v1/user-coupon", Map.of("couponId", "first"), user.token());
        Response tooLongKey = api.send("POST", "/api/v1/user-coupon", Map.of("couponId", 1), user.token(),
                Map.of("Idempotency-Key", "k".repeat(101)));

        for (Response response : new Response[] {missing, negative, wrongType}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.body().path("fieldErrors").findValuesAsString("field")).containsExactly("couponId");
        }
        assertThat(tooLongKey.status()).isEqualTo(400);
        assertThat(tooLongKey.reason()).isEqualTo("INVALID_INPUT");
        assertThat(tooLongKey.body().path("fieldErrors").findValuesAsString("field")).containsExactly("idempotencyKey");
    }
}
