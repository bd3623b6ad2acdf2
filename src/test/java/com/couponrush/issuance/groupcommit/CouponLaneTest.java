package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.groupcommit.CouponLane.Admission;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CouponLaneTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 12, 0);

    private static final int PLACES = 10;
    private static final long IN_TIME = 1_000;
    private static final long LATE = 2_000;

    private static Waiter waiter(long userId) {
        return waiter(userId, Long.MAX_VALUE);
    }

    private static Waiter waiter(long userId, long deadlineNanos) {
        return new Waiter(new IssueCommand(1, userId, null), deadlineNanos);
    }

    private static Waiter keyed(long userId, String key) {
        return new Waiter(new IssueCommand(1, userId, key), Long.MAX_VALUE);
    }

    private static void assertAnswered(Waiter waiter, ErrorCode expected) {
        assertThatThrownBy(() -> waiter.await(1))
                .isInstanceOfSatisfying(RetryableApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(expected));
    }

    @Test
    void aFullLaneRefusesInsteadOfGrowing() {
        CouponLane lane = new CouponLane(1, 2);

        assertThat(lane.admit(waiter(1), PLACES)).isEqualTo(Admission.QUEUED);
        assertThat(lane.admit(waiter(2), PLACES)).isEqualTo(Admission.QUEUED);
        assertThat(lane.admit(waiter(3), PLACES)).isEqualTo(Admission.FULL);
        assertThat(lane.depth()).isEqualTo(2);
        assertThat(lane.arrivals()).isEqualTo(2);
    }

    @Test
    void batchesFollowArrivalOrderAndSkipRequestsWithdrawnAtTheirDeadline() {
        CouponLane lane = new CouponLane(1, 10);
        Waiter first = waiter(1);
        Waiter gaveUp = waiter(2, IN_TIME);
        Waiter third = waiter(3);
        Waiter fourth = waiter(4);
        List.of(first, gaveUp, third, fourth).forEach(waiter -> lane.admit(waiter, PLACES));
        assertThat(gaveUp.withdrawIfOverdue(LATE)).isTrue();

        assertThat(lane.takeBatch(3)).containsExactly(first, third);
        assertThat(lane.takeBatch(3)).containsExactly(fourth);
    }

    @Test
    void requestsStillQueuedPastTheirDeadlineAreWithdrawnAndNeverIssued() {
        CouponLane lane = new CouponLane(1, 10);
        Waiter late = waiter(1, IN_TIME);
        Waiter alsoLate = waiter(2, IN_TIME);
        Waiter inTime = waiter(3, LATE);
        List.of(late, alsoLate, inTime).forEach(waiter -> lane.admit(waiter, PLACES));

        assertThat(lane.withdrawOverdue(IN_TIME)).containsExactly(late, alsoLate);

        assertThat(lane.takeBatch(10)).containsExactly(inTime);
    }

    @Test
    void aRequestItsBatchHasTakenIsNotWithdrawnAtItsDeadlineAndHearsTheBatchsOutcome() throws Exception {
        CouponLane lane = new CouponLane(1, 10);
        Waiter claimed = waiter(1, IN_TIME);
        lane.admit(claimed, PLACES);
        assertThat(lane.takeBatch(10)).containsExactly(claimed);

        assertThat(lane.withdrawOverdue(LATE)).isEmpty();
        assertThat(claimed.withdrawIfOverdue(LATE)).isFalse();
        claimed.succeed(new IssuedCoupon(7));

        assertThat(claimed.await(1).userCouponId()).isEqualTo(7);
    }

    @Test
    void theTimerWakesAboutTenTimesPerWaitTimeoutWithinBounds() {
        assertThat(Deadlines.period(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(100));
        assertThat(Deadlines.period(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(50));
        assertThat(Deadlines.period(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void onlyOneDrainerAtATimeAndArrivalsDuringADrainAreNotStranded() {
        CouponLane lane = new CouponLane(1, 10);
        assertThat(lane.startDraining()).isTrue();
        lane.admit(waiter(1), PLACES);
        assertThat(lane.startDraining()).isFalse();
        lane.takeBatch(10);
        lane.admit(waiter(2), PLACES);

        assertThat(lane.finishDraining()).as("an arrival during the drain keeps the drainer going").isTrue();
        lane.takeBatch(10);
        assertThat(lane.finishDraining()).isFalse();
        assertThat(lane.startDraining()).isTrue();
    }

    @Test
    void remembersSoldOutAndTheWindowOnceABatchSawThem() {
        CouponLane lane = new CouponLane(1, 10);
        assertThat(lane.refusalWithoutDatabase(NOW)).isNull();

        lane.learn(new CouponSnapshot(1, 10, 7, 0, NOW.minusHours(1), NOW.plusHours(1), false), 2,
                NOW.plusHours(3), NOW.plusHours(3));
        assertThat(lane.refusalWithoutDatabase(NOW)).isNull();
        assertThat(lane.refusalWithoutDatabase(NOW.minusHours(2))).isEqualTo(ErrorCode.COUPON_NOT_STARTED);
        assertThat(lane.refusalWithoutDatabase(NOW.plusHours(1))).isEqualTo(ErrorCode.COUPON_ENDED);

        CouponLane soldOut = new CouponLane(2, 10);
        soldOut.learn(new CouponSnapshot(2, 10, 7, 0, NOW.minusHours(1), NOW.plusHours(1), false),
                3, NOW.plusSeconds(1), NOW.plusSeconds(1));
        assertThat(soldOut.refusalWithoutDatabase(NOW)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
    }

    @Test
    void beforeABatchHasToldTheLimitAUsersFurtherRequestsFollowTheirFirst() {
        CouponLane lane = new CouponLane(1, 10);
        Waiter first = waiter(1);
        assertThat(lane.admit(first, PLACES)).isEqualTo(Admission.QUEUED);

        for (int i = 0; i < 5; i++) {
            Admission further = lane.admit(waiter(1), PLACES);
            assertThat(further.kind()).isEqualTo(Admission.Kind.FOLLOW);
            assertThat(further.ahead()).isSameAs(first);
        }
        assertThat(lane.admit(waiter(2), PLACES)).isEqualTo(Admission.QUEUED);
        assertThat(lane.depth()).as("one place per person").isEqualTo(2);
    }

    @Test
    void oneUserHoldsNoMorePlacesThanAllowedAndOthersStillGetTheirs() {
        CouponLane lane = new CouponLane(1, 10);
        lane.learn(new CouponSnapshot(1, 10, 0, 0, NOW.minusHours(1), NOW.plusHours(1), false), 0,
                NOW.plusHours(1), NOW.plusHours(1));

        assertThat(lane.admit(waiter(1), 2)).isEqualTo(Admission.QUEUED);
        assertThat(lane.admit(waiter(1), 2)).isEqualTo(Admission.QUEUED);
        assertThat(lane.admit(waiter(1), 2)).isEqualTo(Admission.USER_AT_CAP);
        assertThat(lane.admit(waiter(2), 2)).isEqualTo(Admission.QUEUED);
        assertThat(lane.depth()).isEqualTo(3);

        lane.learn(new CouponSnapshot(1, 10, 0, 3, NOW.minusHours(1), NOW.plusHours(1), false), 0,
                NOW.plusHours(1), NOW.plusHours(1));
        assertThat(lane.admit(waiter(2), 5)).as("a limit of 3 allows 3 places").isEqualTo(Admission.QUEUED);
        assertThat(lane.admit(waiter(2), 5)).isEqualTo(Admission.QUEUED);
        assertThat(lane.admit(waiter(2), 5)).isEqualTo(Admission.USER_AT_CAP);
    }

    @Test
    void withALimitOfOneAFurtherRequestFollowsTheFirstAndThePlaceIsFreedBeforeTheAnswer() throws Exception {
        CouponLane lane = new CouponLane(1, 10);
        lane.learn(new CouponSnapshot(1, 10, 0, 1, NOW.minusHours(1), NOW.plusHours(1), false), 0,
                NOW.plusHours(1), NOW.plusHours(1));
        Waiter first = waiter(1);
        lane.admit(first, PLACES);

        Admission second = lane.admit(keyed(1, "another-key"), PLACES);
        assertThat(second.kind()).isEqualTo(Admission.Kind.FOLLOW);
        assertThat(second.ahead()).isSameAs(first);
        assertThat(lane.usersInLine()).isEqualTo(1);

        assertThat(lane.takeBatch(10)).containsExactly(first);
        int[] usersInLineWhenAnswered = {-1};
        first.whenAnswered((issued, failure) -> usersInLineWhenAnswered[0] = lane.usersInLine());
        first.succeed(new IssuedCoupon(7));
        assertThat(usersInLineWhenAnswered[0]).isZero();
        assertThat(lane.admit(waiter(1), PLACES)).isEqualTo(Admission.QUEUED);
    }

    @Test
    void aRequestAnsweredWithoutAPlaceOfItsOwnPassesTheAnswerToThoseWhoJoinedIt() {
        Waiter joined = keyed(1, "k");
        Waiter answering = waiter(1);
        joined.answerAs(answering);

        answering.fail(new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, 1));

        assertAnswered(joined, ErrorCode.SERVICE_OVERLOADED);
    }

    @Test
    void anIdleLaneRetiresOnlyWhenNobodyIsInItAndThenAdmitsNobody() {
        CouponLane lane = new CouponLane(1, 10);
        Waiter waiter = waiter(1);
        lane.admit(waiter, PLACES);
        assertThat(lane.retireIfIdle(Long.MAX_VALUE, 0)).as("queued").isFalse();

        assertThat(lane.startDraining()).isTrue();
        lane.takeBatch(10);
        assertThat(lane.retireIfIdle(Long.MAX_VALUE, 0)).as("being decided").isFalse();
        waiter.succeed(new IssuedCoupon(7));
        assertThat(lane.finishDraining()).isFalse();
        assertThat(lane.retireIfIdle(System.nanoTime(), Duration.ofHours(1).toNanos())).as("not idle long").isFalse();

        assertThat(lane.retireIfIdle(System.nanoTime(), 0)).isTrue();
        assertThat(lane.admit(waiter(2), PLACES)).isEqualTo(Admission.RETIRED);
    }

    @Test
    void rememberedRefusalsExpireSoThatAnOperatorsChangeReachesTheNextBatch() {
        CouponLane soldOut = new CouponLane(1, 10);
        soldOut.learn(new CouponSnapshot(1, 10, 10, 0, NOW.minusHours(1), NOW.plusHours(1), false),
                0, NOW.plusSeconds(1), NOW.plusSeconds(1));
        assertThat(soldOut.refusalWithoutDatabase(NOW.plusNanos(999_999_999))).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(soldOut.refusalWithoutDatabase(NOW.plusSeconds(1))).as("stock may have been added").isNull();

        soldOut.learn(new CouponSnapshot(1, 15, 10, 0, NOW.minusHours(1), NOW.plusHours(1), false),
                2, NOW.plusSeconds(2), NOW.plusSeconds(2));
        assertThat(soldOut.refusalWithoutDatabase(NOW.plusSeconds(1))).as("a batch saw the new stock").isNull();

        CouponLane ended = new CouponLane(2, 10);
        ended.learn(new CouponSnapshot(2, 10, 0, 0, NOW.minusHours(1), NOW.plusMinutes(1), false),
                0, NOW.plusMinutes(2), NOW.plusMinutes(2));
        assertThat(ended.refusalWithoutDatabase(NOW.plusMinutes(1))).isEqualTo(ErrorCode.COUPON_ENDED);
        assertThat(ended.refusalWithoutDatabase(NOW.plusMinutes(2))).as("the end may have been moved").isNull();
    }

    private static LocalDateTime at(long millis) {
        return NOW.plus(Duration.ofMillis(millis));
    }

    @Test
    void oneRequestRenewsTheFactsBeforeTheyExpireWhileTheOthersAreStillAnsweredFromThem() {
        CouponLane soldOut = new CouponLane(1, 10);
        CouponSnapshot row = new CouponSnapshot(1, 10, 10, 0, NOW.minusHours(1), NOW.plusHours(1), false);
        soldOut.learn(row, 0, at(750), NOW.plusSeconds(1));

        assertThat(soldOut.claimRenewal(at(749))).as("not due yet").isFalse();
        assertThat(soldOut.claimRenewal(at(750))).as("the first request once due").isTrue();
        assertThat(soldOut.claimRenewal(at(751))).as("one renewal at a time").isFalse();
        assertThat(soldOut.renewing()).isTrue();
        assertThat(soldOut.refusalWithoutDatabase(at(751))).isEqualTo(ErrorCode.COUPON_SOLD_OUT);

        soldOut.learn(row, 0, at(1_500), at(1_750));
        assertThat(soldOut.renewing()).as("a batch has read the row").isFalse();
        assertThat(soldOut.refusalWithoutDatabase(NOW.plusSeconds(1))).as("renewed in time")
                .isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(soldOut.claimRenewal(at(1_500))).isTrue();
        assertThat(soldOut.claimRenewal(at(1_750))).as("expired facts are not renewed, they are read")
                .isFalse();
    }

    @Test
    void theOutageGuardRefusesForADoublingPauseAndClosesOnSuccess() {
        OutageGuard guard = new OutageGuard(Duration.ofHours(1), Duration.ofHours(4));
        assertThat(guard.paused()).isFalse();

        guard.failed();
        assertThat(guard.paused()).isTrue();
        guard.succeeded();
        assertThat(guard.paused()).isFalse();

        OutageGuard brief = new OutageGuard(Duration.ZERO, Duration.ZERO);
        brief.failed();
        assertThat(brief.paused()).as("a zero pause lets the next batch probe at once").isFalse();
    }

    @Test
    void anAsynchronousCallerCannotAnswerTheWaiterItself() {
        Waiter waiter = waiter(7);
        waiter.answer().complete(new IssuedCoupon(99));
        assertThat(waiter.claim()).as("still queued: the batch decides it").isTrue();
        waiter.succeed(new IssuedCoupon(1));
        assertThat(waiter.answer().join().userCouponId()).isEqualTo(1);
    }
}
