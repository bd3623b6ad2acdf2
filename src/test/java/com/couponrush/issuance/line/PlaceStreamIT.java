package com.couponrush.issuance.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.TestUser;
import com.couponrush.support.CommitGate;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.StatementLog;
import com.couponrush.support.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Following one's place over server-sent events: position every second from memory, falling with the wait as the
 * line ahead is decided, the outcome once decided, then the end; nobody follows another's place; the bounds on open
 * streams refuse clearly.
 */
@IntegrationTest
@Import({StatementLog.class, CommitGate.class})
@TestPropertySource(properties = {
    // one place per transaction: a test lets the line ahead of a place be decided one commit at a time
    "coupon.issuance.line.max-batch=1",
    "coupon.issuance.line.max-streams-per-user=2",
    "coupon.issuance.line.max-streams=4"
})
class PlaceStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

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
    StatementLog statements;
    @Autowired
    WaitingLine line;
    @Autowired
    CommitGate gate;

    @Test
    void aWaitingPlaceIsSentEverySecondWithoutAQueryThenItsOutcomeAndTheStreamEnds() throws Exception {
        long couponId = pausedCoupon(10);
        List<TestUser> users = users(3);
        users.forEach(user -> assertThat(join(user, couponId).status()).isEqualTo(202));
        TestUser first = users.get(0);
        TestUser third = users.get(2);

        try (Events firstsPlace = follow(couponId, first); Events thirdsPlace = follow(couponId, third)) {
            await().atMost(WAIT).until(() -> thirdsPlace.received().size() >= 3);
            int mark = statements.mark();
            int before = thirdsPlace.received().size();
            await().atMost(WAIT).until(() -> thirdsPlace.received().size() >= before + 2);
            assertThat(statements.byThread(mark)).as("a waiting place is followed from memory")
                    .doesNotContainKey("line-streams");
            for (JsonNode waiting : thirdsPlace.received()) {
                assertThat(waiting.path("status").asString()).isEqualTo("WAITING");
                assertThat(waiting.path("position").asLong()).isEqualTo(3);
                assertThat(waiting.path("estimatedWaitSeconds").isNull()).as("no rate while paused").isTrue();
            }
            assertThat(firstsPlace.received().get(0).path("position").asLong()).isEqualTo(1);
            assertThat(line.openStreams()).isEqualTo(2);

            // two coupons for three places: the third learns it gets none
            jdbc.update("UPDATE coupon SET quantity = 2, paused = FALSE WHERE id = ?", couponId);
            assertThat(firstsPlace.ended().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(thirdsPlace.ended().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            JsonNode issued = firstsPlace.last();
            assertThat(issued.path("status").asString()).isEqualTo("ISSUED");
            assertThat(issued.path("position").isNull()).isTrue();
            assertThat(issued.path("userCouponId").asLong()).isEqualTo(jdbc.queryForObject(
                    "SELECT id FROM user_coupon WHERE coupon_id = ? AND user_id = ?", Long.class, couponId,
                    first.id()));
            JsonNode soldOut = thirdsPlace.last();
            assertThat(soldOut.path("status").asString()).isEqualTo("REFUSED");
            assertThat(soldOut.path("reason").asString()).isEqualTo("COUPON_SOLD_OUT");
            List<Long> positions = thirdsPlace.received().stream()
                    .filter(event -> event.path("status").asString().equals("WAITING"))
                    .map(event -> event.path("position").asLong()).toList();
            assertThat(positions).as("positions never rise").isSortedAccordingTo((a, b) -> Long.compare(b, a));
            assertThat(thirdsPlace.received().stream().filter(event -> !event.path("status").asString()
                    .equals("WAITING"))).as("one outcome, the last event").hasSize(1);
            await().atMost(WAIT).until(() -> line.openStreams() == 0);
        }
    }

    @Test
    void theFollowedPositionAndWaitFallAsTheLineAheadIsDecidedOneCommitAtATimeThenTheOutcomeEndsTheStream()
            throws Exception {
        int ahead = 24;
        long couponId = pausedCoupon(ahead + 1);
        List<TestUser> users = users(ahead + 1);
        users.forEach(user -> assertThat(join(user, couponId).status()).isEqualTo(202));
        TestUser follower = users.get(ahead);

        List<JsonNode> events;
        gate.holdIssuingCommits();
        try (Events followed = follow(couponId, follower)) {
            // Two updates while paused: the line's rate is measured as none, and the steps below start in time
            // with the stream's updates rather than with the event sent when the stream opened.
            await().atMost(WAIT).until(() -> followed.received().size() >= 3);
            jdbc.update("UPDATE coupon SET paused = FALSE WHERE id = ?", couponId);
            // Each place ahead is committed once the follower was shown the one before: the line moves at the
            // pace of the stream's updates, steadily, as a rate the estimate can be measured on.
            for (int decided = 1; decided <= ahead; decided++) {
                gate.letOneCommit();
                long position = ahead + 1 - decided;
                await().atMost(WAIT).until(() -> followed.last().path("position").asLong() == position);
            }
            gate.letOneCommit();
            assertThat(followed.ended().await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the stream ends").isTrue();
            events = List.copyOf(followed.received());
        } finally {
            gate.open();
        }

        JsonNode outcome = events.get(events.size() - 1);
        assertThat(outcome.path("status").asString()).as("the last event is the outcome").isEqualTo("ISSUED");
        assertThat(outcome.path("userCouponId").asLong()).isEqualTo(jdbc.queryForObject(
                "SELECT id FROM user_coupon WHERE coupon_id = ? AND user_id = ?", Long.class, couponId,
                follower.id()));
        List<JsonNode> waiting = events.subList(0, events.size() - 1);
        assertThat(waiting).as("every event before the outcome is a waiting place")
                .allMatch(event -> event.path("status").asString().equals("WAITING"));
        List<Long> positions = waiting.stream().map(event -> event.path("position").asLong()).toList();
        assertThat(positions).as("the position never rises").isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(positions.stream().distinct().toList()).as("every position from the place to the front")
                .isEqualTo(LongStream.rangeClosed(1, ahead + 1).map(front -> ahead + 2 - front).boxed().toList());
        int pairs = 0;
        int falls = 0;
        for (int i = 1; i < waiting.size(); i++) {
            JsonNode before = waiting.get(i - 1).path("estimatedWaitSeconds");
            JsonNode after = waiting.get(i).path("estimatedWaitSeconds");
            if (before.isNumber() && after.isNumber()) {
                pairs++;
                falls += after.asLong() < before.asLong() ? 1 : 0;
            }
        }
        System.out.println("line, a followed place behind " + ahead + ": " + waiting.size() + " waiting events, "
                + "positions " + positions + ", estimates " + waiting.stream()
                .map(event -> event.path("estimatedWaitSeconds").asString()).toList() + ", the estimate fell in "
                + falls + " of " + pairs + " updates");
        assertThat(pairs).as("updates with an estimate before and after").isGreaterThanOrEqualTo(ahead / 2);
        assertThat(falls).as("updates in which the estimate fell")
                .isGreaterThanOrEqualTo((int) Math.ceil(pairs * 0.95));
    }

    @Test
    void nobodyFollowsAnothersPlaceAndAnonymousCallersAreRefused() throws Exception {
        long couponId = pausedCoupon(10);
        List<TestUser> users = users(2);
        assertThat(join(users.get(0), couponId).status()).isEqualTo(202);

        Refusal others = refused(couponId, users.get(1).token());
        assertThat(others.status()).isEqualTo(404);
        assertThat(others.body()).contains("PLACE_NOT_FOUND");
        assertThat(refused(couponId, null).status()).isEqualTo(401);
        assertThat(line.openStreams()).isZero();
    }

    @Test
    void theBoundsOnOpenStreamsRefuseClearlyAndFreeWhenAStreamCloses() throws Exception {
        long couponId = pausedCoupon(10);
        List<TestUser> users = users(3);
        users.forEach(user -> assertThat(join(user, couponId).status()).isEqualTo(202));

        try (Events a1 = follow(couponId, users.get(0)); Events a2 = follow(couponId, users.get(0))) {
            Refusal third = refused(couponId, users.get(0).token());
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.body()).contains("TOO_MANY_STREAMS");

            Events b1 = follow(couponId, users.get(1));
            try (Events b2 = follow(couponId, users.get(1))) {
                Refusal full = refused(couponId, users.get(2).token());
                assertThat(full.status()).isEqualTo(503);
                assertThat(full.body()).contains("SERVICE_OVERLOADED");
                assertThat(full.retryAfter()).isEqualTo("1");
                assertThat(line.openStreams()).isEqualTo(4);

                b1.close();
                // the server learns of a closed stream when it next writes to it, within a second
                await().atMost(WAIT).until(() -> line.openStreams() == 3);
                try (Events c1 = follow(couponId, users.get(2))) {
                    await().atMost(WAIT).until(() -> !c1.received().isEmpty());
                    assertThat(c1.received().get(0).path("position").asLong()).isEqualTo(3);
                }
            }
        }
    }

    /** Closed streams are let go when next written to: the next test starts with none open, as the bounds need. */
    @AfterEach
    void everyStreamLetGo() {
        await().atMost(WAIT).until(() -> line.openStreams() == 0);
    }

    private long pausedCoupon(int quantity) {
        long couponId = coupons.openCoupon(quantity, 1);
        jdbc.update("UPDATE coupon SET paused = TRUE WHERE id = ?", couponId);
        return couponId;
    }

    private List<TestUser> users(int count) {
        return TestUsers.insertWithTokens(jdbc, encoder, jwt, count);
    }

    private ApiClient.Response join(TestUser user, long couponId) {
        return api.post("/api/v1/coupons/" + couponId + "/line", null, user.token());
    }

    private HttpRequest request(long couponId, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(api.baseUrl() + "/api/v1/coupons/" + couponId + "/line/me/stream"))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", token);
        }
        return request.build();
    }

    private Events follow(long couponId, TestUser user) throws InterruptedException {
        try {
            HttpResponse<Stream<String>> response = http.send(request(couponId, user.token()),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).as("%s", response).isEqualTo(200);
            return new Events(response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Refusal(int status, String body, String retryAfter) {
    }

    private Refusal refused(long couponId, String token) throws InterruptedException {
        try {
            HttpResponse<Stream<String>> response = http.send(request(couponId, token),
                    HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> body = response.body()) {
                return new Refusal(response.statusCode(), body.collect(Collectors.joining("\n")),
                        response.headers().firstValue("Retry-After").orElse(null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event of an open stream, read on its own thread until the server ends it or the test closes it. */
    private static final class Events implements AutoCloseable {

        private final Stream<String> lines;
        private final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final Thread reader;

        Events(Stream<String> lines, JsonMapper json) {
            this.lines = lines;
            this.reader = new Thread(() -> {
                try {
                    lines.filter(line -> line.startsWith("data:"))
                            .forEach(line -> received.add(json.readTree(line.substring("data:".length()))));
                    ended.countDown();
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            }, "place-stream-reader");
            reader.setDaemon(true);
            reader.start();
        }

        List<JsonNode> received() {
            return received;
        }

        JsonNode last() {
            return received.get(received.size() - 1);
        }

        CountDownLatch ended() {
            return ended;
        }

        @Override
        public void close() throws InterruptedException {
            lines.close();
            reader.join(Duration.ofSeconds(5).toMillis());
        }
    }
}
