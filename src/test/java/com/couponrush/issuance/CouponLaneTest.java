package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CouponLaneTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 12, 0);

    private static Waiter waiter(long userId) {
        return new Waiter(new IssueCommand(1, userId, null));
    }

    @Test
    void aFullLaneRefusesInsteadOfGrowing() {
        CouponLane lane = new CouponLane(1, 2);

        assertThat(lane.offer(waiter(1))).isTrue();
        assertThat(lane.offer(waiter(2))).isTrue();
        assertThat(lane.offer(waiter(3))).isFalse();
        assertThat(lane.depth()).isEqualTo(2);
        assertThat(lane.arrivals()).isEqualTo(2);
    }

    @Test
    void batchesFollowArrivalOrderAndSkipCallersWhoGaveUp() {
        CouponLane lane = new CouponLane(1, 10);
        Waiter first = waiter(1);
        Waiter gaveUp = waiter(2);
        Waiter third = waiter(3);
        Waiter fourth = waiter(4);
        List.of(first, gaveUp, third, fourth).forEach(lane::offer);
        assertThatThrownBy(() -> gaveUp.await(Duration.ofMillis(1), 1))
                .isInstanceOfSatisfying(RetryableApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SERVICE_OVERLOADED));

        assertThat(lane.takeBatch(3)).containsExactly(first, third);
        assertThat(lane.takeBatch(3)).containsExactly(fourth);
    }

    @Test
    void aCallerTimingOutWhileItsBatchIsInTheDatabaseHearsOutcomeUnknownNotSuccess() {
        CouponLane lane = new CouponLane(1, 10);
        Waiter claimed = waiter(1);
        lane.offer(claimed);
        assertThat(lane.takeBatch(10)).containsExactly(claimed);

        assertThatThrownBy(() -> claimed.await(Duration.ofMillis(1), 1))
                .isInstanceOfSatisfying(RetryableApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
    }

    @Test
    void onlyOneDrainerAtATimeAndArrivalsDuringADrainAreNotStranded() {
        CouponLane lane = new CouponLane(1, 10);
        assertThat(lane.startDraining()).isTrue();
        lane.offer(waiter(1));
        assertThat(lane.startDraining()).isFalse();
        lane.takeBatch(10);
        lane.offer(waiter(2));

        assertThat(lane.finishDraining()).as("an arrival during the drain keeps the drainer going").isTrue();
        lane.takeBatch(10);
        assertThat(lane.finishDraining()).isFalse();
        assertThat(lane.startDraining()).isTrue();
    }

    @Test
    void remembersSoldOutAndTheWindowOnceABatchSawThem() {
        CouponLane lane = new CouponLane(1, 10);
        assertThat(lane.refusalWithoutDatabase(NOW)).isNull();

        lane.learn(new CouponSnapshot(1, 10, 7, 0, NOW.minusHours(1), NOW.plusHours(1)), 2);
        assertThat(lane.refusalWithoutDatabase(NOW)).isNull();
        assertThat(lane.refusalWithoutDatabase(NOW.minusHours(2))).isEqualTo(ErrorCode.COUPON_NOT_STARTED);
        assertThat(lane.refusalWithoutDatabase(NOW.plusHours(1))).isEqualTo(ErrorCode.COUPON_ENDED);

        CouponLane soldOut = new CouponLane(2, 10);
        soldOut.learn(new CouponSnapshot(2, 10, 7, 0, NOW.minusHours(1), NOW.plusHours(1)), 3);
        assertThat(soldOut.refusalWithoutDatabase(NOW)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
    }

    @Test
    void theOutageGuardRefusesForADoublingPauseAndClosesOnSuccess() {
        OutageGuard guard = new OutageGuard(Duration.ofHours(1), Duration.ofHours(4));
        assertThat(guard.refusing()).isFalse();

        guard.failed();
        assertThat(guard.refusing()).isTrue();
        guard.succeeded();
        assertThat(guard.refusing()).isFalse();

        OutageGuard brief = new OutageGuard(Duration.ZERO, Duration.ZERO);
        brief.failed();
        assertThat(brief.refusing()).as("a zero pause lets the next batch probe at once").isFalse();
    }
}
