package com.couponrush.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.IntegrationTest;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class CouponApiIT {

    @Autowired
    ApiClient api;

    @Autowired
    CouponRepository coupons;

    @Test
    void adminCreatesACouponThatAnyoneCanSee() {
        ApiClient.TestUser admin = api.newAdmin();
        LocalDateTime now = LocalDateTime.now().withNano(0);
        Map<String, Object> body = api.couponBody(300, null, now.minusMinutes(1), now.plusDays(1));

        long couponId = api.createCoupon(admin, body);
        Response one = api.get("/api/v1/coupons/" + couponId, null);
        Response all = api.get("/api/v1/coupons", null);

        assertThat(one.status()).isEqualTo(200);
        assertThat(one.data().path("name").asString()).isEqualTo(body.get("name"));
        assertThat(one.data().path("quantity").asInt()).isEqualTo(300);
        assertThat(one.data().path("issuedCount").asInt()).isZero();
        assertThat(one.data().path("remaining").asInt()).isEqualTo(300);
        assertThat(one.data().path("perUserLimit").asInt()).as("absent means one per user").isEqualTo(1);
        assertThat(one.data().path("status").asString()).isEqualTo("OPEN");
        assertThat(LocalDateTime.parse(one.data().path("startDate").asString())).isEqualTo(now.minusMinutes(1));
        assertThat(all.data().findValuesAsString("couponId")).contains(Long.toString(couponId));
    }

    @Test
    void perUserLimitZeroMeansUnlimitedAndUpcomingCouponsSayso() {
        ApiClient.TestUser admin = api.newAdmin();
        LocalDateTime now = LocalDateTime.now();

        long unlimited = api.createCoupon(admin, api.couponBody(10, 0, now.minusHours(1), now.plusHours(1)));
        long upcoming = api.createCoupon(admin, api.couponBody(10, 3, now.plusHours(1), now.plusHours(2)));

        assertThat(api.get("/api/v1/coupons/" + unlimited, null).data().path("perUserLimit").asInt()).isZero();
        Response later = api.get("/api/v1/coupons/" + upcoming, null);
        assertThat(later.data().path("perUserLimit").asInt()).isEqualTo(3);
        assertThat(later.data().path("status").asString()).isEqualTo("UPCOMING");
    }

    @Test
    void onlyAdminsCreateCoupons() {
        ApiClient.TestUser user = api.newUser();
        LocalDateTime now = LocalDateTime.now();
        long before = coupons.count();

        Response byUser = api.post("/api/v1/coupons", api.couponBody(5, null, now, now.plusDays(1)), user.token());
        Response anonymous = api.post("/api/v1/coupons", api.couponBody(5, null, now, now.plusDays(1)), null);

        assertThat(byUser.status()).isEqualTo(403);
        assertThat(byUser.reason()).isEqualTo("ACCESS_DENIED");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(coupons.count()).isEqualTo(before);
    }

    @Test
    void invalidCouponsAreRefusedFieldByFieldWithoutWriting() {
        ApiClient.TestUser admin = api.newAdmin();
        LocalDateTime now = LocalDateTime.now();
        long before = coupons.count();
        Map<String, Object> body = new java.util.HashMap<>(api.couponBody(0, -1, now, now.minusDays(1)));
        body.put("name", " ");
        body.put("discountAmount", -5);

        Response response = api.post("/api/v1/coupons", body, admin.token());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.reason()).isEqualTo("INVALID_INPUT");
        assertThat(response.body().path("fieldErrors").findValuesAsString("field")).containsExactlyInAnyOrder(
                "name", "discountAmount", "quantity", "perUserLimit", "endDateAfterStartDate");
        assertThat(coupons.count()).isEqualTo(before);
    }

    @Test
    void wrongTypesAndMissingFieldsAreNamed() {
        ApiClient.TestUser admin = api.newAdmin();
        Map<String, Object> body = new java.util.HashMap<>(
                api.couponBody(5, null, LocalDateTime.now(), LocalDateTime.now().plusDays(1)));
        body.put("quantity", "many");
        Response wrongType = api.post("/api/v1/coupons", body, admin.token());
        body.put("quantity", 5);
        body.put("startDate", "tomorrow");
        Response badDate = api.post("/api/v1/coupons", body, admin.token());
        Response empty = api.post("/api/v1/coupons", Map.of(), admin.token());

        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().path("fieldErrors").findValuesAsString("field")).containsExactly("quantity");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.body().path("fieldErrors").findValuesAsString("field")).containsExactly("startDate");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().path("fieldErrors").findValuesAsString("field")).contains(
                "name", "discountAmount", "quantity", "startDate", "endDate");
    }

    @Test
    void unknownCouponIsNotFoundAndANonNumericIdIsBadInput() {
        Response unknown = api.get("/api/v1/coupons/987654321", null);
        Response notANumber = api.get("/api/v1/coupons/abc", null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.reason()).isEqualTo("COUPON_NOT_FOUND");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body().path("fieldErrors").findValuesAsString("field")).containsExactly("couponId");
    }
}
