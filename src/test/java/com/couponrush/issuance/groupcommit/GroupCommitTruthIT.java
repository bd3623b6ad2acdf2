package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.DirectDataSource;
import com.couponrush.support.IntegrationTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * "Every answer true", checked request by request: one coupon under overload, every request with its own
 * Idempotency-Key, while another session takes the coupon's row for 0.97 s of every second (a slow operator
 * transaction, a report with FOR UPDATE, other instances' batches queuing on the row). Afterwards every
 * user_coupon row is matched to the answer its request heard, by key: a row's request must have heard 200, and a
 * request that heard anything else must have no row. No link is cut here, so no answer may be OUTCOME_UNKNOWN.
 * The row lets about one batch through per second, so batches smaller than the default make the overload reachable
 * with a few hundred clients on a test machine. Needs row locks of a real server.
 */
@IntegrationTest
@Tag("server-database")
@TestPropertySource(properties = "coupon.issuance.group-commit.max-batch=" + GroupCommitTruthIT.MAX_BATCH)
class GroupCommitTruthIT {

    static final int MAX_BATCH = 100;

    static final String OUTCOME_UNKNOWN_COUNTER = "coupon.issuance.group-commit.outcome-unknown";
    private static final Duration RUN = Duration.ofSeconds(10);
    private static final Duration HOLD = Duration.ofMillis(970);
    private static final Duration GAP = Duration.ofMillis(30);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    /** Clients come back at once after a 503 in real rushes; a short pause keeps them from spinning the test's CPU. */
    private static final Duration PAUSE_AFTER_503 = Duration.ofMillis(50);
    private static final int QUANTITY = 1_000_000;
    private static final String NO_ANSWER = "NO_ANSWER";
    private static final Set<String> NOTHING_WRITTEN = Set.of("SERVICE_OVERLOADED", "COUPON_BUSY",
            "STORAGE_UNAVAILABLE");

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Environment environment;

    @Test
    void fourHundredKeyedClientsOnOneCouponWhoseRowIsHeldMostOfEverySecondHearOnlyTrueAnswers() throws Exception {
        new Rush(api, coupons, jdbc, meters, environment).run(400, "batches of " + MAX_BATCH);
    }

    /**
     * A wait-timeout shorter than a batch's wait for the row, a setting the configuration accepts: a request taken
     * into a batch outlives its deadline there, and must still hear what its batch did.
     */
    @Nested
    @TestPropertySource(properties = "coupon.issuance.group-commit.wait-timeout=500ms")
    class WithAHalfSecondWaitTimeout {

        @Autowired
        ApiClient api;
        @Autowired
        CouponFixtures coupons;
        @Autowired
        JdbcTemplate jdbc;
        @Autowired
        MeterRegistry meters;
        @Autowired
        Environment environment;

        @Test
        void twoHundredKeyedClientsWhoseBatchesWaitLongerThanTheirWaitTimeoutHearOnlyTrueAnswers() throws Exception {
            new Rush(api, coupons, jdbc, meters, environment).run(200, "batches of " + MAX_BATCH
                    + ", wait-timeout 500 ms");
        }
    }

    private record Answer(String key, int status, String reason, boolean retryAfter, long userCouponId,
                          long millis) {

        static Answer of(String key, long sentNanos, Response response) {
            return new Answer(key, response.status(), response.status() == 200 ? "200" : response.reason(),
                    response.raw().headers().firstValue("Retry-After").isPresent(),
                    response.status() == 200 ? response.data().path("userCouponId").asLong() : 0,
                    (System.nanoTime() - sentNanos) / 1_000_000);
        }

        static Answer none(String key, long sentNanos) {
            return new Answer(key, 0, NO_ANSWER, false, 0, (System.nanoTime() - sentNanos) / 1_000_000);
        }
    }

    /** The scenario, run with the beans of whichever context the test method has. */
    private record Rush(ApiClient api, CouponFixtures coupons, JdbcTemplate jdbc, MeterRegistry meters,
                        Environment environment) {

        void run(int clients, String settings) throws Exception {
            long couponId = coupons.openCoupon(QUANTITY, 0);
            List<ApiClient.TestUser> users = api.newUsers(clients);
            double outcomeUnknownBefore = outcomeUnknownCounted();
            Queue<Answer> answers = new ConcurrentLinkedQueue<>();
            int holds;
            try (RowHolder holder = RowHolder.start(DirectDataSource.of(environment), couponId)) {
                long endNanos = System.nanoTime() + RUN.toNanos();
                List<CompletableFuture<Void>> loops = new ArrayList<>();
                for (ApiClient.TestUser user : users) {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    send(user, couponId, endNanos, answers, done);
                    loops.add(done);
                }
                CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
                        .get(RUN.plus(CLIENT_TIMEOUT).plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
                holds = holder.holds();
            }

            Map<String, Long> rowByKey = new HashMap<>();
            jdbc.query("SELECT idempotency_key, id FROM user_coupon WHERE coupon_id = ?",
                    row -> {
                        rowByKey.put(row.getString(1), row.getLong(2));
                    }, couponId);
            Map<String, Answer> answerByKey = answers.stream().collect(Collectors.toMap(Answer::key, a -> a));
            Map<String, Long> tallies = answers.stream().collect(Collectors.groupingBy(Answer::reason, TreeMap::new,
                    Collectors.counting()));
            List<Answer> refusedButWritten = answers.stream()
                    .filter(a -> a.status() != 200 && rowByKey.containsKey(a.key())).toList();
            Map<String, Long> refusedButWrittenByReason = refusedButWritten.stream().collect(Collectors.groupingBy(
                    Answer::reason, TreeMap::new, Collectors.counting()));
            List<Answer> issuedWithoutItsRow = answers.stream().filter(a -> a.status() == 200
                    && !Long.valueOf(a.userCouponId()).equals(rowByKey.get(a.key()))).toList();
            List<String> rowsOfNoRequest = rowByKey.keySet().stream().filter(key -> !answerByKey.containsKey(key))
                    .toList();
            long successes = tallies.getOrDefault("200", 0L);
            long outcomeUnknown = tallies.getOrDefault("OUTCOME_UNKNOWN", 0L);
            int counter = coupons.issuedCount(couponId);
            List<Long> latencies = answers.stream().map(Answer::millis).sorted().toList();
            System.out.printf("group-commit truth, %s: %d keyed clients for %d s on one coupon, its row held %d ms of"
                            + " every second by another session (%d holds): %d answers %s, p99 %d ms, max %d ms; rows %d,"
                            + " counter %d; refusals whose request had committed %d %s; 200s without their row %d;"
                            + " outcome-unknown counter +%.0f%n",
                    settings, clients, RUN.toSeconds(), HOLD.toMillis(), holds, answers.size(), tallies,
                    percentile(latencies, 0.99), percentile(latencies, 1),
                    rowByKey.size(), counter, refusedButWritten.size(), refusedButWrittenByReason,
                    issuedWithoutItsRow.size(), outcomeUnknownCounted() - outcomeUnknownBefore);

            assertThat(holds).as("the row was held for most of every second").isGreaterThanOrEqualTo(
                    (int) RUN.toSeconds() - 1);
            assertThat(successes).as("coupons issued under the held row").isPositive();
            assertThat(tallies.getOrDefault(NO_ANSWER, 0L)).as("requests with no answer within %s", CLIENT_TIMEOUT)
                    .isZero();
            assertThat(refusedButWritten.size()).as("requests told 'not issued' whose coupon was committed, by"
                    + " reason %s, the first %s", refusedButWrittenByReason, first(refusedButWritten)).isZero();
            assertThat(issuedWithoutItsRow.size()).as("200s without the row they named, the first %s",
                    first(issuedWithoutItsRow)).isZero();
            assertThat(rowsOfNoRequest.size()).as("rows whose key no request sent, the first %s",
                    first(rowsOfNoRequest)).isZero();
            assertThat(outcomeUnknown).as("OUTCOME_UNKNOWN with the database answering all along").isZero();
            assertThat(outcomeUnknownCounted()).isEqualTo(outcomeUnknownBefore);
            assertThat(tallies.keySet()).as("answers other than 200 that mean nothing was written")
                    .allMatch(reason -> reason.equals("200") || NOTHING_WRITTEN.contains(reason));
            assertThat(answers).filteredOn(a -> a.status() == 503).allMatch(Answer::retryAfter);
            assertThat(rowByKey).hasSize((int) successes);
            assertThat(counter).isEqualTo(successes).isLessThanOrEqualTo(QUANTITY);
        }

        /** One client: a request with a new key, and when its answer comes the next one, until the run ends. */
        private void send(ApiClient.TestUser user, long couponId, long endNanos, Queue<Answer> answers,
                          CompletableFuture<Void> done) {
            if (System.nanoTime() - endNanos >= 0) {
                done.complete(null);
                return;
            }
            String key = UUID.randomUUID().toString();
            long sent = System.nanoTime();
            api.issueAsync(user, couponId, key, CLIENT_TIMEOUT).whenComplete((response, noAnswer) -> {
                try {
                    Answer answer = response == null ? Answer.none(key, sent) : Answer.of(key, sent, response);
                    answers.add(answer);
                    if (answer.status() == 503) {
                        CompletableFuture.delayedExecutor(PAUSE_AFTER_503.toMillis(), TimeUnit.MILLISECONDS)
                                .execute(() -> send(user, couponId, endNanos, answers, done));
                    } else {
                        send(user, couponId, endNanos, answers, done);
                    }
                } catch (RuntimeException broken) {
                    done.completeExceptionally(broken);
                }
            });
        }

        private static long percentile(List<Long> sorted, double fraction) {
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * fraction) - 1);
        }

        private static List<?> first(List<?> all) {
            return all.subList(0, Math.min(3, all.size()));
        }

        private double outcomeUnknownCounted() {
            Counter counter = meters.find(OUTCOME_UNKNOWN_COUNTER).counter();
            return counter == null ? 0 : counter.count();
        }
    }

    /**
     * Another session on a connection of its own: takes the coupon's row FOR UPDATE, keeps it {@link #HOLD}, lets it
     * go for {@link #GAP}, and again, until closed.
     */
    private static final class RowHolder implements AutoCloseable {

        private final Thread thread;
        private final AtomicInteger holds = new AtomicInteger();
        private volatile boolean holding = true;
        private volatile Throwable failure;

        private RowHolder(DataSource dataSource, long couponId) {
            this.thread = new Thread(() -> {
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement lock = connection.prepareStatement(
                             "SELECT id FROM coupon WHERE id = ? FOR UPDATE")) {
                    connection.setAutoCommit(false);
                    lock.setLong(1, couponId);
                    while (holding) {
                        lock.executeQuery().close();
                        holds.incrementAndGet();
                        // the hold and the gap are the scenario's timing
                        LockSupport.parkNanos(HOLD.toNanos());
                        connection.rollback();
                        LockSupport.parkNanos(GAP.toNanos());
                    }
                } catch (SQLException | RuntimeException e) {
                    failure = e;
                }
            }, "row-holder-" + couponId);
            thread.setDaemon(true);
        }

        static RowHolder start(DataSource dataSource, long couponId) {
            RowHolder holder = new RowHolder(dataSource, couponId);
            holder.thread.start();
            return holder;
        }

        int holds() {
            return holds.get();
        }

        @Override
        public void close() throws InterruptedException {
            holding = false;
            thread.join(Duration.ofSeconds(10).toMillis());
            assertThat(failure).as("the holding session").isNull();
        }
    }
}
