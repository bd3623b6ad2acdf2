package com.couponrush.issuance.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class IssuancePolicyTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 6, 12, 0);

    private static CouponSnapshot coupon(int quantity, int issued, int perUserLimit, LocalDateTime start,
                                         LocalDateTime end, boolean paused) {
        return new CouponSnapshot(1, quantity, issued, perUserLimit, start, end, paused);
    }

    private static CouponSnapshot open(int quantity, int issued, int perUserLimit) {
        return coupon(quantity, issued, perUserLimit, NOW.minusHours(1), NOW.plusHours(1), false);
    }

    @Test
    void theWindowComesBeforeTheStockWhichComesBeforeTheUsersHoldings() {
        CouponSnapshot endedSoldOut = coupon(10, 10, 1, NOW.minusHours(2), NOW.minusHours(1), false);
        assertThat(IssuancePolicy.refusal(endedSoldOut, NOW, 0, () -> 5)).isEqualTo(ErrorCode.COUPON_ENDED);
        CouponSnapshot pausedSoldOut = coupon(10, 10, 1, NOW.minusHours(1), NOW.plusHours(1), true);
        assertThat(IssuancePolicy.refusal(pausedSoldOut, NOW, 0, () -> 5)).isEqualTo(ErrorCode.COUPON_PAUSED);
        assertThat(IssuancePolicy.refusal(open(10, 10, 1), NOW, 0, () -> 5)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(IssuancePolicy.refusal(open(10, 3, 1), NOW, 7, () -> 1))
                .isEqualTo(ErrorCode.PER_USER_LIMIT_REACHED);
        assertThat(IssuancePolicy.refusal(open(10, 3, 2), NOW, 7, () -> 1)).isNull();
        assertThat(IssuancePolicy.refusal(open(10, 3, 0), NOW, 7, () -> 99)).as("no limit").isNull();
    }

    @Test
    void theHoldingsAreNotAskedWhenAnEarlierRuleRefuses() {
        assertThat(IssuancePolicy.refusal(open(10, 10, 1), NOW, 0, () -> {
            throw new AssertionError("asked for the holdings of a sold-out coupon");
        })).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
    }

    @Test
    void aKeyOnRecordIsReplayedForItsOwnCouponAndRefusedForAnother() {
        assertThat(IssuancePolicy.replayOf(new RecordedIssue(7, 1), 1)).isNull();
        assertThat(IssuancePolicy.replayOf(new RecordedIssue(7, 2), 1)).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    }

    @Test
    void onlyTheWindowAndTheStockMayBeRepeatedWithoutTheRowNeverThePause() {
        CouponSnapshot paused = coupon(10, 3, 1, NOW.minusHours(1), NOW.plusHours(1), true);
        assertThat(IssuancePolicy.lastingRefusal(paused, 0, NOW)).isNull();
        assertThat(IssuancePolicy.lastingRefusal(open(10, 3, 1), 7, NOW)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(IssuancePolicy.lastingRefusal(open(10, 3, 1), 6, NOW)).isNull();
        CouponSnapshot upcoming = coupon(10, 0, 1, NOW.plusHours(1), NOW.plusHours(2), false);
        assertThat(IssuancePolicy.lastingRefusal(upcoming, 0, NOW)).isEqualTo(ErrorCode.COUPON_NOT_STARTED);
        assertThat(IssuancePolicy.lastingRefusal(upcoming, 0, NOW.plusMinutes(90))).as("started since").isNull();
    }

    @Test
    void aUsersFurtherRequestLearnsFromTheFirstOnlyWhatTheFirstSettles() {
        assertThat(IssuancePolicy.followingAnswer(null, 1)).isEqualTo(ErrorCode.PER_USER_LIMIT_REACHED);
        assertThat(IssuancePolicy.followingAnswer(null, 2)).as("a second may still be issued").isNull();
        assertThat(IssuancePolicy.followingAnswer(null, 0)).as("no limit").isNull();
        assertThat(IssuancePolicy.followingAnswer(ErrorCode.COUPON_SOLD_OUT, 1)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(IssuancePolicy.followingAnswer(ErrorCode.COUPON_NOT_FOUND, -1))
                .isEqualTo(ErrorCode.COUPON_NOT_FOUND);
        assertThat(IssuancePolicy.followingAnswer(ErrorCode.PER_USER_LIMIT_REACHED, 3))
                .isEqualTo(ErrorCode.PER_USER_LIMIT_REACHED);
        assertThat(IssuancePolicy.followingAnswer(ErrorCode.IDEMPOTENCY_KEY_REUSED, 1))
                .as("about the first request's key, not the user").isNull();
    }

    @Test
    void aTakeThatFoundNothingIsExplainedByTheWindowFirst() {
        assertThat(IssuancePolicy.whyNothingWasTaken(coupon(10, 10, 1, NOW.minusHours(2), NOW.minusHours(1), false),
                NOW)).isEqualTo(ErrorCode.COUPON_ENDED);
        assertThat(IssuancePolicy.whyNothingWasTaken(open(10, 10, 1), NOW)).isEqualTo(ErrorCode.COUPON_SOLD_OUT);
    }
}
