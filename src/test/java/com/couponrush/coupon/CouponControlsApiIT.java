package com.couponrush.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Each operator control through the API, one instance, on every database: what it does, what it refuses, its record. */
@IntegrationTest
class CouponControlsApiIT {

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;

    ApiClient.TestUser admin;
    CouponFixtures fixtures;

    @BeforeEach
    void admin() {
        admin = api.newAdmin();
        fixtures = new CouponFixtures(jdbc);
    }

    @Test
    void pauseRefusesIssuanceWithCouponPausedAndResumeLetsItContinue() {
        long couponId = api.createCoupon(admin, 10, 0);
        ApiClient.TestUser user = api.newUser();

        Response paused = control("POST", couponId, "pause", null);
        Response refused = api.issue(user, couponId);
        Response twice = control("POST", couponId, "pause", null);
        Response resumed = control("POST", couponId, "resume", null);
        Response issued = api.issue(user, couponId);

        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        assertThat(paused.data().path("status").asString()).isEqualTo("PAUSED");
        assertThat(paused.data().path("paused").asBoolean()).isTrue();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.reason()).isEqualTo("COUPON_PAUSED");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.reason()).isEqualTo("COUPON_ALREADY_PAUSED");
        assertThat(resumed.data().path("status").asString()).isEqualTo("OPEN");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        assertThat(fixtures.rows(couponId)).isEqualTo(1);
        assertThat(control("POST", couponId, "resume", null).reason()).isEqualTo("COUPON_NOT_PAUSED");
    }

    @Test
    void closeEndsTheWindowAtOnceAndNothingChangesAfterwards() {
        long couponId = api.createCoupon(admin, 10, 0);
        ApiClient.TestUser user = api.newUser();

        Response closed = control("POST", couponId, "close", null);
        Response refused = api.issue(user, couponId);

        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.data().path("status").asString()).isEqualTo("ENDED");
        assertThat(LocalDateTime.parse(closed.data().path("endDate").asString())).isBefore(LocalDateTime.now());
        assertThat(refused.reason()).isEqualTo("COUPON_ENDED");
        for (Response late : List.of(control("POST", couponId, "close", null), control("POST", couponId, "pause", null),
                control("PUT", couponId, "quantity", Map.of("quantity", 20)))) {
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.reason()).isEqualTo("COUPON_ALREADY_ENDED");
        }
        assertThat(fixtures.rows(couponId)).isZero();
    }

    @Test
    void stockGrowsAfterASellOutButNeverBelowWhatIsIssued() {
        long couponId = api.createCoupon(admin, 1, 0);
        ApiClient.TestUser user = api.newUser();
        assertThat(api.issue(user, couponId).status()).isEqualTo(200);
        assertThat(api.issue(user, couponId).reason()).isEqualTo("COUPON_SOLD_OUT");

        Response below = control("PUT", couponId, "quantity", Map.of("quantity", 0));
        Response negative = control("PUT", couponId, "quantity", Map.of("quantity", -1));
        Response added = control("PUT", couponId, "quantity", Map.of("quantity", 2));

        assertThat(below.status()).isEqualTo(409);
        assertThat(below.reason()).isEqualTo("QUANTITY_BELOW_ISSUED");
        assertThat(below.body().path("message").asString()).contains("1");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().path("fieldErrors").findValuesAsString("field")).containsExactly("quantity");
        assertThat(added.data().path("remaining").asInt()).isEqualTo(1);
        // the engine remembered "sold out"; it must not outlive the change by more than coupon.issuance.refresh
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> api.issue(user, couponId).status() == 200);
        assertThat(fixtures.rows(couponId)).isEqualTo(2);
        assertThat(fixtures.issuedCount(couponId)).isEqualTo(2);
    }

    @Test
    void theWindowMovesOnlyLaterAndDetailsOnlyBeforeTheStart() {
        LocalDateTime now = LocalDateTime.now().withNano(0);
        long upcoming = api.createCoupon(admin, api.couponBody(10, 1, now.plusHours(1), now.plusHours(2)));
        long open = api.createCoupon(admin, 10, 1);

        Response later = control("PUT", upcoming, "window",
                Map.of("startDate", now.plusHours(3).toString(), "endDate", now.plusHours(4).toString()));
        Response earlier = control("PUT", upcoming, "window",
                Map.of("startDate", now.plusHours(2).toString(), "endDate", now.plusHours(4).toString()));
        Response backwards = control("PUT", upcoming, "window",
                Map.of("startDate", now.plusHours(5).toString(), "endDate", now.plusHours(4).toString()));
        Response corrected = control("PUT", upcoming, "details",
                Map.of("name", "고친 이름", "description", "fixed", "discountAmount", 3000));
        Response startOfOpen = control("PUT", open, "window", Map.of(
                "startDate", now.plusHours(1).toString(), "endDate", now.plusDays(2).toString()));
        Response detailsOfOpen = control("PUT", open, "details", Map.of("name", "x", "discountAmount", 1));
        Response blank = control("PUT", upcoming, "details", Map.of("name", " ", "discountAmount", 0));

        assertThat(later.status()).as(later.toString()).isEqualTo(200);
        assertThat(LocalDateTime.parse(later.data().path("startDate").asString())).isEqualTo(now.plusHours(3));
        assertThat(earlier.status()).isEqualTo(400);
        assertThat(earlier.reason()).isEqualTo("COUPON_WINDOW_INVALID");
        assertThat(backwards.reason()).isEqualTo("COUPON_WINDOW_INVALID");
        assertThat(corrected.data().path("name").asString()).isEqualTo("고친 이름");
        assertThat(corrected.data().path("discountAmount").asInt()).isEqualTo(3000);
        assertThat(startOfOpen.status()).isEqualTo(409);
        assertThat(startOfOpen.reason()).isEqualTo("COUPON_ALREADY_STARTED");
        assertThat(detailsOfOpen.reason()).isEqualTo("COUPON_ALREADY_STARTED");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.body().path("fieldErrors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("name", "discountAmount");
        Response longer = control("PUT", open, "window", Map.of(
                "startDate", api.get("/api/v1/coupons/" + open, null).data().path("startDate").asString(),
                "endDate", now.plusDays(3).toString()));
        assertThat(longer.status()).as(longer.toString()).isEqualTo(200);
    }

    @Test
    void everyChangeIsRecordedWithWhoWhenWhatOldAndNew() {
        long couponId = api.createCoupon(admin, 10, 0);
        control("POST", couponId, "pause", null);
        control("PUT", couponId, "quantity", Map.of("quantity", 25));
        control("PUT", couponId, "quantity", Map.of("quantity", -3));
        control("POST", couponId, "resume", null);
        control("POST", couponId, "close", null);

        Response history = api.get("/api/v1/coupons/" + couponId + "/changes", admin.token());

        assertThat(history.status()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        for (JsonNode change : history.data()) {
            actions.add(change.path("action").asString());
            assertThat(change.path("changedBy").asLong()).isEqualTo(admin.id());
            assertThat(change.path("changedByEmail").asString()).isEqualTo(admin.email());
            assertThat(change.path("changedAt").asString()).isNotBlank();
        }
        assertThat(actions).as("a refused change is not recorded").containsExactly(
                "PAUSE", "QUANTITY", "RESUME", "CLOSE");
        assertThat(history.data().get(0).path("oldValue").asString()).isEqualTo("{\"paused\":false}");
        assertThat(history.data().get(0).path("newValue").asString()).isEqualTo("{\"paused\":true}");
        assertThat(history.data().get(1).path("oldValue").asString()).isEqualTo("{\"quantity\":10}");
        assertThat(history.data().get(1).path("newValue").asString()).isEqualTo("{\"quantity\":25}");
        JsonNode close = history.data().get(3);
        assertThat(close.path("newValue").asString()).contains("\"endDate\":\"" + close.path("changedAt").asString());
    }

    @Test
    void winnersInIssueOrderPagedAndAsCsv() {
        long couponId = api.createCoupon(admin, 10, 0);
        List<ApiClient.TestUser> users = List.of(api.newUser(), api.newUser(), api.newUser());
        List<Long> issued = new ArrayList<>();
        for (ApiClient.TestUser user : List.of(users.get(2), users.get(0), users.get(1), users.get(2))) {
            issued.add(api.issue(user, couponId).data().path("userCouponId").asLong());
        }

        Response first = api.get("/api/v1/coupons/" + couponId + "/issuances?size=3", admin.token());
        Response second = api.get("/api/v1/coupons/" + couponId + "/issuances?size=3&page=1", admin.token());
        Response byUser = api.get("/api/v1/coupons/" + couponId + "/issuances?sort=userId,desc", admin.token());
        Response badSort = api.get("/api/v1/coupons/" + couponId + "/issuances?sort=password", admin.token());
        Response csv = api.get("/api/v1/coupons/" + couponId + "/issuances.csv", admin.token());

        assertThat(first.data().findValuesAsString("userCouponId")).containsExactly(
                issued.subList(0, 3).stream().map(String::valueOf).toArray(String[]::new));
        assertThat(first.body().path("page").path("totalElements").asInt()).isEqualTo(4);
        assertThat(first.body().path("page").path("totalPages").asInt()).isEqualTo(2);
        assertThat(second.data().findValuesAsString("userCouponId")).containsExactly(String.valueOf(issued.get(3)));
        assertThat(first.data().get(0).path("email").asString()).isEqualTo(users.get(2).email());
        assertThat(first.data().get(0).path("status").asString()).isEqualTo("ISSUED");
        assertThat(byUser.data().get(0).path("userId").asLong()).isEqualTo(users.get(2).id());
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.reason()).isEqualTo("INVALID_SORT");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = csv.raw().body().split("\r\n");
        assertThat(lines[0]).isEqualTo("userCouponId,userId,email,nickname,issuedAt,status");
        assertThat(lines).hasSize(5);
        for (int i = 0; i < issued.size(); i++) {
            assertThat(lines[i + 1]).startsWith(issued.get(i) + ",");
        }
    }

    @Test
    void onlyAdminsControlAndUnknownCouponsAreNotFound() {
        long couponId = api.createCoupon(admin, 10, 0);
        ApiClient.TestUser user = api.newUser();

        for (String path : List.of("/pause", "/close", "/changes", "/issuances", "/issuances.csv")) {
            String method = path.equals("/pause") || path.equals("/close") ? "POST" : "GET";
            Response byUser = api.send(method, "/api/v1/coupons/" + couponId + path, null, user.token(), Map.of());
            Response anonymous = api.send(method, "/api/v1/coupons/" + couponId + path, null, null, Map.of());
            assertThat(byUser.status()).as(path).isEqualTo(403);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
        }
        assertThat(control("POST", 987654321L, "pause", null).reason()).isEqualTo("COUPON_NOT_FOUND");
        assertThat(api.get("/api/v1/coupons/987654321/issuances", admin.token()).reason())
                .isEqualTo("COUPON_NOT_FOUND");
        assertThat(api.get("/api/v1/coupons/" + couponId, null).data().path("paused").asBoolean()).isFalse();
    }

    @Test
    void theCouponListStaysAnArrayWithItsPageBeside() {
        long older = api.createCoupon(admin, 10, 0);
        long newer = api.createCoupon(admin, 10, 0);

        Response all = api.get("/api/v1/coupons", null);
        Response one = api.get("/api/v1/coupons?size=1", null);
        Response byName = api.get("/api/v1/coupons?sort=nope", null);

        assertThat(all.data().isArray()).isTrue();
        assertThat(all.data().findValuesAsString("couponId")).containsSubsequence(
                String.valueOf(newer), String.valueOf(older));
        assertThat(all.body().path("page").path("size").asInt()).isEqualTo(100);
        assertThat(one.data()).hasSize(1);
        assertThat(one.data().get(0).path("couponId").asLong()).isEqualTo(newer);
        assertThat(one.body().path("page").path("totalElements").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(byName.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/coupons/" + older, null).body().has("page")).isFalse();
    }

    private Response control(String method, long couponId, String action, Object body) {
        return api.send(method, "/api/v1/coupons/" + couponId + "/" + action, body, admin.token(), Map.of());
    }
}
