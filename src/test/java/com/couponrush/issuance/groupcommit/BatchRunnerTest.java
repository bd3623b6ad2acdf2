package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.ledger.BatchDecider.KeyOfUser;
import com.couponrush.issuance.ledger.BatchDecider.Refuse;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.RecordedIssue;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

/** How a batch's failure becomes its answers, without a database: the writer is replaced by what it would throw. */
class BatchRunnerTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 6, 12, 0);
    private static final Clock CLOCK = Clock.fixed(NOW.toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DatabaseWatch database = new DatabaseWatch(EngineSettings.defaults(), Runnable::run);

    private BatchRunner runner(Supplier<RuntimeException> writeFails, Map<KeyOfUser, RecordedIssue> recorded) {
        BatchWriter writer = new BatchWriter(null, null, null, null, CLOCK) {
            @Override
            Outcome write(DatabaseWatch.InFlight batch, long couponId, List<IssueCommand> commands) {
                throw writeFails.get();
            }

            @Override
            Map<KeyOfUser, RecordedIssue> recorded(DatabaseWatch.InFlight batch, Collection<KeyOfUser> keys) {
                return recorded;
            }
        };
        return runner(writer);
    }

    private BatchRunner runner(BatchWriter writer) {
        return new BatchRunner(writer, database, new UnknownCoupons(Duration.ofSeconds(1), 10),
                new EngineMeters(registry), CLOCK, Duration.ofSeconds(1), 1);
    }

    private static List<Waiter> batchOf(int size) {
        CouponLane lane = new CouponLane(1, 100);
        for (int user = 1; user <= size; user++) {
            lane.admit(new Waiter(new IssueCommand(1, user, null), Long.MAX_VALUE), 10);
        }
        return lane.takeBatch(size);
    }

    private static Throwable answerOf(Waiter waiter) {
        try {
            waiter.await(1);
            return null;
        } catch (RuntimeException refusal) {
            return refusal;
        } catch (java.util.concurrent.TimeoutException unanswered) {
            throw new AssertionError("not answered", unanswered);
        }
    }

    private static ErrorCode reasonOf(Waiter waiter) {
        return ((ApiException) answerOf(waiter)).errorCode();
    }

    @Test
    void aBugBeforeTheCommitIsPassedOnAsItIsSoTheCallerHearsA500NotARetryable503() {
        IllegalStateException bug = new IllegalStateException("driver returned 2 generated ids for 3 inserted rows");
        List<Waiter> batch = batchOf(3);

        runner(() -> bug, Map.of()).run(new CouponLane(1, 10), batch).give();

        batch.forEach(waiter -> assertThat(answerOf(waiter)).isSameAs(bug));
        assertThat(database.reachable()).as("a bug is not an outage").isTrue();
    }

    @Test
    void aCommitWhoseAnswerIsLostIsOutcomeUnknownCountedAndOpensTheOutage() {
        List<Waiter> batch = batchOf(3);

        runner(() -> new BatchTransactions.CommitOutcomeUnknown(new SQLException("I/O error", "08006")), Map.of())
                .run(new CouponLane(1, 10), batch).give();

        batch.forEach(waiter -> assertThat(reasonOf(waiter)).isEqualTo(ErrorCode.OUTCOME_UNKNOWN));
        assertThat(answerOf(batch.get(0))).isInstanceOf(RetryableApiException.class);
        assertThat(registry.counter(EngineMeters.OUTCOME_UNKNOWN).count()).isEqualTo(3);
        assertThat(database.reachable()).isFalse();
    }

    @Test
    void aHeldRowIsCouponBusyForThatCouponOnly() {
        List<Waiter> batch = batchOf(2);

        runner(() -> new UncategorizedSQLException("lock", null, new SQLException("lock timeout", "55P03")), Map.of())
                .run(new CouponLane(1, 10), batch).give();

        batch.forEach(waiter -> assertThat(reasonOf(waiter)).isEqualTo(ErrorCode.COUPON_BUSY));
        assertThat(database.contended(1)).as("the coupon pauses").isTrue();
        assertThat(database.contended(2)).isFalse();
        assertThat(database.reachable()).isTrue();
    }

    @Test
    void aPoolWithNoFreeConnectionIsOverloadedNotAnOutage() {
        List<Waiter> batch = batchOf(2);

        runner(() -> new CannotGetJdbcConnectionException("pool", new SQLTransientConnectionException(
                "Connection is not available, request timed out after 2000ms")), Map.of())
                .run(new CouponLane(1, 10), batch).give();

        batch.forEach(waiter -> assertThat(reasonOf(waiter)).isEqualTo(ErrorCode.SERVICE_OVERLOADED));
        assertThat(database.reachable()).isTrue();
    }

    @Test
    void aBatchLetThroughToRenewTheLanesFactsReadsTheRowInsteadOfAnsweringFromThem() {
        CouponLane lane = new CouponLane(1, 10);
        lane.learn(new CouponSnapshot(1, 10, 10, 1, NOW.minusHours(1), NOW.plusHours(1), false), 0,
                NOW.minusSeconds(1), NOW.plusSeconds(1));
        assertThat(lane.claimRenewal(NOW)).isTrue();
        Waiter renewing = new Waiter(new IssueCommand(1, 7, null), Long.MAX_VALUE);
        lane.admit(renewing, 10);
        IllegalStateException written = new IllegalStateException("the writer was asked");

        runner(() -> written, Map.of()).run(lane, lane.takeBatch(10)).give();

        assertThat(answerOf(renewing)).isSameAs(written);
    }

    @Test
    void theFactsOfACommittedBatchAreDueForRenewalHalfwayThroughTheirLife() {
        CouponSnapshot soldOut = new CouponSnapshot(1, 10, 10, 1, NOW.minusHours(1), NOW.plusHours(1), false);
        BatchWriter writer = new BatchWriter(null, null, null, null, CLOCK) {
            @Override
            Outcome write(DatabaseWatch.InFlight batch, long couponId, List<IssueCommand> commands) {
                return new Outcome(soldOut, List.of(new Refuse(ErrorCode.COUPON_SOLD_OUT)), List.of(), Map.of());
            }
        };
        CouponLane lane = new CouponLane(1, 10);
        Waiter waiter = new Waiter(new IssueCommand(1, 7, null), Long.MAX_VALUE);
        lane.admit(waiter, 10);

        runner(writer).run(lane, lane.takeBatch(10)).give();

        assertThat(reasonOf(waiter)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(lane.claimRenewal(NOW.plus(Duration.ofMillis(499)))).as("trusted as they are").isFalse();
        assertThat(lane.claimRenewal(NOW.plus(Duration.ofMillis(500))))
                .as("one request may renew them, with half their life left for its batch").isTrue();
        assertThat(lane.refusalWithoutDatabase(NOW.plus(Duration.ofMillis(999)))).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(lane.refusalWithoutDatabase(NOW.plusSeconds(1))).as("expired after refresh").isNull();
    }

    @Test
    void aKeyedRetryForACouponTheLaneKnowsSoldOutIsLookedUpByTheBatchAndReplayed() throws Exception {
        CouponLane lane = new CouponLane(1, 10);
        lane.learn(new CouponSnapshot(1, 10, 10, 1, NOW.minusHours(1), NOW.plusHours(1), false), 0,
                NOW.plusSeconds(1), NOW.plusSeconds(1));
        Waiter retry = new Waiter(new IssueCommand(1, 7, "k"), Long.MAX_VALUE);
        Waiter plain = new Waiter(new IssueCommand(1, 8, null), Long.MAX_VALUE);
        Waiter otherCoupon = new Waiter(new IssueCommand(1, 9, "reused"), Long.MAX_VALUE);
        List.of(retry, plain, otherCoupon).forEach(waiter -> lane.admit(waiter, 10));

        runner(() -> new IllegalStateException("a sold-out coupon is not written"),
                Map.of(new KeyOfUser(7, "k"), new RecordedIssue(70, 1),
                        new KeyOfUser(9, "reused"), new RecordedIssue(90, 2)))
                .run(lane, lane.takeBatch(10)).give();

        assertThat(retry.await(1).userCouponId()).isEqualTo(70);
        assertThat(reasonOf(plain)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(reasonOf(otherCoupon)).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    }
}
