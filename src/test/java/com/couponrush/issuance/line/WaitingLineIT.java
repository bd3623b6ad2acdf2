package com.couponrush.issuance.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient.TestUser;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import tools.jackson.databind.json.JsonMapper;

/** The waiting line through its API, on every database: numbering, one place per person, order, the truth early. */
@IntegrationTest
class WaitingLineIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    JwtEncoder jwt;
    @Autowired
    JsonMapper json;
    @Autowired
    WaitingLine line;

    @Test
    void placesAreNumberedOneTwoThreeAndAskingAgainReturnsTheSamePlace() {
        long couponId = pausedCoupon(100, 1);
        List<TestUser> users = users(20);

        List<Long> places = new ArrayList<>();
        for (TestUser user : users) {
            Response joined = join(user, couponId);
            assertThat(joined.status()).as("%s", joined).isEqualTo(202);
            assertThat(joined.raw().headers().firstValue("Location")).hasValue(
                    "/api/v1/coupons/" + couponId + "/line/me");
            assertThat(joined.data().path("status").asString()).isEqualTo("WAITING");
            assertThat(joined.data().path("position").asLong()).isEqualTo(joined.data().path("place").asLong());
            places.add(joined.data().path("place").asLong());
        }
        assertThat(places).isEqualTo(rangeClosed(1, 20));

        for (int i = 0; i < users.size(); i++) {
            assertThat(join(users.get(i), couponId).data().path("place").asLong()).isEqualTo(places.get(i));
            Response mine = api.get(mePath(couponId), users.get(i).token());
            assertThat(mine.status()).isEqualTo(200);
            assertThat(mine.data().path("place").asLong()).isEqualTo(places.get(i));
        }
        assertThat(placeRows(couponId)).as("a place is committed before it is answered").isEqualTo(20);
    }

    @Test
    void oneUsersThousandConcurrentJoinsGiveOnePlace() {
        long couponId = pausedCoupon(100, 1);
        TestUser user = users(1).get(0);

        List<CompletableFuture<HttpResponse<String>>> joins = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            joins.add(http.sendAsync(HttpRequest.newBuilder(URI.create(api.baseUrl() + linePath(couponId)))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", user.token())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<String, Integer> answers = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> joined : joins) {
            HttpResponse<String> response = joined.join();
            answers.merge(response.statusCode() + " place " + json.readTree(response.body()).path("data")
                    .path("place").asLong(), 1, Integer::sum);
        }

        System.out.println("one user, 1,000 concurrent joins: " + answers);
        assertThat(answers).isEqualTo(Map.of("202 place 1", 1_000));
        assertThat(placeRows(couponId)).isEqualTo(1);
    }

    @Test
    void placesAreDecidedInPlaceOrderExactlyAndWhoCannotBeReachedIsToldAtOnce() {
        long couponId = pausedCoupon(300, 1);
        List<TestUser> users = users(500);
        List<CompletableFuture<HttpResponse<String>>> joins = new ArrayList<>();
        for (TestUser user : users) {
            joins.add(http.sendAsync(HttpRequest.newBuilder(URI.create(api.baseUrl() + linePath(couponId)))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", user.token())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<String, Integer> answers = new TreeMap<>();
        joins.forEach(joined -> {
            HttpResponse<String> response = joined.join();
            answers.merge(response.statusCode() + " " + json.readTree(response.body()).path("reason").asString(""),
                    1, Integer::sum);
        });
        System.out.println("line, 500 joins for 300 coupons: " + answers);
        assertThat(answers).as("no place can be reached past the stock").isEqualTo(
                Map.of("202 ", 300, "409 COUPON_SOLD_OUT", 200));
        assertThat(jdbc.queryForList("SELECT place_no FROM waiting_place WHERE coupon_id = ? ORDER BY place_no",
                Long.class, couponId)).as("one sequence, no gaps").isEqualTo(rangeClosed(1, 300));

        jdbc.update("UPDATE coupon SET paused = FALSE WHERE id = ?", couponId);
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting(couponId) == 0);

        System.out.println("line, 300 places for 300 coupons: " + statuses(couponId));
        assertThat(statuses(couponId)).isEqualTo(Map.of("ISSUED", 300));
        assertThat(coupons.issuedCount(couponId)).isEqualTo(300);
        assertThat(coupons.rows(couponId)).isEqualTo(300);
        assertThat(jdbc.queryForList("SELECT place_no FROM waiting_place WHERE coupon_id = ? AND status = 'ISSUED'"
                + " ORDER BY place_no", Long.class, couponId)).as("the first 300 places").isEqualTo(rangeClosed(1, 300));
        assertThat(inversions(couponId)).as("issuance order against place order").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM waiting_place p JOIN user_coupon u"
                + " ON u.id = p.user_coupon_id AND u.user_id = p.user_id WHERE p.coupon_id = ?", Integer.class,
                couponId)).as("each issued place names its holder's row").isEqualTo(300);

        TestUser first = users.get(0);
        Response mine = api.get(mePath(couponId), first.token());
        assertThat(mine.data().path("status").asString()).isIn("ISSUED", "REFUSED");
        if (mine.data().path("status").asString().equals("ISSUED")) {
            assertThat(coupons.ownerOf(mine.data().path("userCouponId").asLong())).isEqualTo(first.id());
            assertThat(join(first, couponId).status()).as("asking again after the decision").isEqualTo(200);
        }
    }

    @Test
    void theLineAndDirectIssuanceShareTheCouponLockAndNeverIssueAboveTheQuantity() {
        long couponId = coupons.openCoupon(200, 1);
        List<TestUser> lined = users(300);
        List<TestUser> direct = users(300);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(api.baseUrl() + linePath(couponId)))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", lined.get(i).token())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/user-coupon"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", direct.get(i).token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"couponId\":" + couponId + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        answers.forEach(CompletableFuture::join);
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting(couponId) == 0);

        int issuedThroughTheLine = statuses(couponId).getOrDefault("ISSUED", 0);
        System.out.println("line and direct issuance, 300 + 300 for 200 coupons: places " + statuses(couponId)
                + ", rows " + coupons.rows(couponId));
        assertThat(coupons.rows(couponId)).isEqualTo(200);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(200);
        assertThat(coupons.distinctHolders(couponId)).isEqualTo(200);
        assertThat(statuses(couponId).keySet()).allMatch(status -> status.equals("ISSUED")
                || status.equals("REFUSED COUPON_SOLD_OUT"));
        assertThat(jdbc.queryForList("SELECT place_no FROM waiting_place WHERE coupon_id = ? AND status = 'ISSUED'"
                + " ORDER BY place_no", Long.class, couponId)).as("the line's winners are its first places")
                .isEqualTo(rangeClosed(1, issuedThroughTheLine));
        assertThat(inversions(couponId)).isZero();
    }

    @Test
    void stockLoweredByAnOperatorRefusesTheUnreachablePlacesAtOnce() {
        long couponId = pausedCoupon(10, 1);
        users(10).forEach(user -> assertThat(join(user, couponId).status()).isEqualTo(202));

        jdbc.update("UPDATE coupon SET quantity = 3, paused = FALSE WHERE id = ?", couponId);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(couponId) == 0);

        assertThat(statuses(couponId)).isEqualTo(Map.of("ISSUED", 3, "REFUSED COUPON_SOLD_OUT", 7));
        assertThat(coupons.rows(couponId)).isEqualTo(3);
    }

    @Test
    void aPausedLineHoldsItsPlacesAndAClosedOneRefusesThemAll() {
        long couponId = pausedCoupon(10, 1);
        users(5).forEach(user -> assertThat(join(user, couponId).status()).isEqualTo(202));

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> waiting(couponId) == 5);
        assertThat(coupons.rows(couponId)).isZero();

        jdbc.update("UPDATE coupon SET end_date = ? WHERE id = ?",
                Timestamp.valueOf(LocalDateTime.now().minusSeconds(1)), couponId);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(couponId) == 0);
        assertThat(statuses(couponId)).isEqualTo(Map.of("REFUSED COUPON_ENDED", 5));
        assertThat(coupons.rows(couponId)).isZero();
    }

    @Test
    void followingAWaitingPlaceCostsNoQueryAndShowsItsPositionAndWait() {
        long couponId = pausedCoupon(1_000, 1);
        List<TestUser> users = users(30);
        users.forEach(user -> join(user, couponId));
        TestUser last = users.get(29);

        Response mine = api.get(mePath(couponId), last.token());
        assertThat(mine.data().path("position").asLong()).isEqualTo(30);
        assertThat(mine.data().path("status").asString()).isEqualTo("WAITING");

        jdbc.update("UPDATE coupon SET paused = FALSE WHERE id = ?", couponId);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(couponId) == 0);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                api.get(mePath(couponId), last.token()).data().path("status").asString().equals("ISSUED"));
        assertThat(line.knownPlaces()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void refusalsAreClearAndNobodyReadsAnothersPlace() {
        TestUser user = users(1).get(0);
        TestUser other = users(1).get(0);
        assertThat(join(user, 987_654_321L).reason()).isEqualTo("COUPON_NOT_FOUND");
        // the joiner drops an empty lane on its next turn, just after it has answered
        await("nothing kept for a coupon that does not exist").atMost(Duration.ofSeconds(5))
                .until(() -> line.joiningLanes() == 0);

        LocalDateTime now = LocalDateTime.now();
        long ended = coupons.coupon(10, 1, now.minusDays(2), now.minusDays(1));
        assertThat(join(user, ended).reason()).isEqualTo("COUPON_ENDED");

        long held = coupons.openCoupon(10, 1);
        assertThat(api.issue(user, held).status()).isEqualTo(200);
        assertThat(join(user, held).reason()).isEqualTo("PER_USER_LIMIT_REACHED");

        long open = pausedCoupon(10, 1);
        assertThat(join(user, open).status()).isEqualTo(202);
        Response othersRead = api.get(mePath(open), other.token());
        assertThat(othersRead.status()).isEqualTo(404);
        assertThat(othersRead.reason()).isEqualTo("PLACE_NOT_FOUND");
        assertThat(api.get(mePath(open), null).status()).isEqualTo(401);
        assertThat(api.post(linePath(open), null, null).status()).isEqualTo(401);
    }

    private long pausedCoupon(int quantity, int perUserLimit) {
        long couponId = coupons.openCoupon(quantity, perUserLimit);
        jdbc.update("UPDATE coupon SET paused = TRUE WHERE id = ?", couponId);
        return couponId;
    }

    private List<TestUser> users(int count) {
        return TestUsers.insertWithTokens(jdbc, encoder, jwt, count);
    }

    private Response join(TestUser user, long couponId) {
        return api.post(linePath(couponId), null, user.token());
    }

    private static String linePath(long couponId) {
        return "/api/v1/coupons/" + couponId + "/line";
    }

    private static String mePath(long couponId) {
        return linePath(couponId) + "/me";
    }

    private int placeRows(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM waiting_place WHERE coupon_id = ?", Integer.class, couponId);
    }

    private int waiting(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM waiting_place WHERE coupon_id = ? AND status = 'WAITING'",
                Integer.class, couponId);
    }

    private Map<String, Integer> statuses(long couponId) {
        Map<String, Integer> counts = new TreeMap<>();
        jdbc.query("SELECT status, reason FROM waiting_place WHERE coupon_id = ?", rs -> {
            String reason = rs.getString(2);
            counts.merge(rs.getString(1) + (reason == null ? "" : " " + reason), 1, Integer::sum);
        }, couponId);
        return counts;
    }

    /** Pairs of issued places whose rows were issued in the opposite order. */
    private long inversions(long couponId) {
        List<Long> ids = jdbc.queryForList("SELECT user_coupon_id FROM waiting_place WHERE coupon_id = ?"
                + " AND status = 'ISSUED' ORDER BY place_no", Long.class, couponId);
        long inversions = 0;
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                if (ids.get(i) > ids.get(j)) {
                    inversions++;
                }
            }
        }
        return inversions;
    }

    private static List<Long> rangeClosed(long from, long to) {
        List<Long> numbers = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            numbers.add(n);
        }
        return numbers;
    }
}
