package com.couponrush.issuance.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.issuance.ledger.BatchDecider.Decision;
import com.couponrush.issuance.ledger.BatchDecider.Issue;
import com.couponrush.issuance.ledger.BatchDecider.KeyOfUser;
import com.couponrush.issuance.ledger.BatchDecider.Refuse;
import com.couponrush.issuance.ledger.BatchDecider.Replay;
import com.couponrush.issuance.ledger.BatchDecider.Request;
import com.couponrush.issuance.ledger.BatchDecider.SameAs;
import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchDeciderTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 12, 0);

    private static CouponSnapshot coupon(int quantity, int issued, int perUserLimit) {
        return new CouponSnapshot(7, quantity, issued, perUserLimit, NOW.minusHours(1), NOW.plusHours(1), false);
    }

    private static List<Request> distinctUsers(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Request(1000 + i, null)).toList();
    }

    @Test
    void winnersAreTheFirstArrivalsUpToTheRemainingStock() {
        List<Decision> decisions = BatchDecider.decide(coupon(100, 97, 0), NOW, distinctUsers(5), Map.of(), Map.of());

        assertThat(decisions).containsExactly(new Issue(0), new Issue(1), new Issue(2),
                new Refuse(ErrorCode.COUPON_SOLD_OUT), new Refuse(ErrorCode.COUPON_SOLD_OUT));
    }

    @Test
    void noFairnessInversionsInALargeBatch() {
        List<Decision> decisions = BatchDecider.decide(coupon(50, 0, 0), NOW, distinctUsers(500), Map.of(), Map.of());

        int lastWinner = -1;
        int firstLoser = Integer.MAX_VALUE;
        for (int i = 0; i < decisions.size(); i++) {
            if (decisions.get(i) instanceof Issue issue) {
                assertThat(issue.slot()).isEqualTo(i);
                lastWinner = i;
            } else {
                firstLoser = Math.min(firstLoser, i);
            }
        }
        assertThat(lastWinner).isEqualTo(49);
        assertThat(firstLoser).isEqualTo(50);
    }

    @Test
    void perUserLimitCountsHeldCouponsAndWinsInsideTheBatch() {
        List<Request> requests = List.of(new Request(1, null), new Request(2, null), new Request(1, null),
                new Request(2, null), new Request(3, null));

        List<Decision> decisions = BatchDecider.decide(coupon(100, 10, 1), NOW, requests, Map.of(2L, 1), Map.of());

        assertThat(decisions).containsExactly(new Issue(0), new Refuse(ErrorCode.PER_USER_LIMIT_REACHED),
                new Refuse(ErrorCode.PER_USER_LIMIT_REACHED), new Refuse(ErrorCode.PER_USER_LIMIT_REACHED),
                new Issue(1));
    }

    @Test
    void aLimitAboveOneLetsAUserWinThatManyTimes() {
        List<Request> sameUser = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sameUser.add(new Request(9, null));
        }

        List<Decision> decisions = BatchDecider.decide(coupon(100, 0, 3), NOW, sameUser, Map.of(9L, 1), Map.of());

        assertThat(decisions).containsExactly(new Issue(0), new Issue(1),
                new Refuse(ErrorCode.PER_USER_LIMIT_REACHED), new Refuse(ErrorCode.PER_USER_LIMIT_REACHED));
    }

    @Test
    void stockIsCheckedBeforeTheUserLimitLikeTheOtherStrategies() {
        List<Decision> decisions = BatchDecider.decide(coupon(5, 5, 1), NOW, List.of(new Request(1, null)),
                Map.of(1L, 1), Map.of());

        assertThat(decisions).containsExactly(new Refuse(ErrorCode.COUPON_SOLD_OUT));
    }

    @Test
    void recordedIdempotencyKeysReplayAndDuplicatesInTheBatchShareOneAnswer() {
        List<Request> requests = List.of(new Request(1, "a"), new Request(1, "b"), new Request(1, "b"),
                new Request(2, "a"), new Request(1, null));

        List<Decision> decisions = BatchDecider.decide(coupon(100, 0, 0), NOW, requests, Map.of(),
                Map.of(new KeyOfUser(1, "a"), new RecordedIssue(555L, 7)));

        assertThat(decisions).containsExactly(new Replay(555L), new Issue(0), new SameAs(1), new Issue(1),
                new Issue(2));
    }

    @Test
    void aReplayNeedsNoStock() {
        List<Decision> decisions = BatchDecider.decide(coupon(1, 1, 0), NOW,
                List.of(new Request(1, "k"), new Request(2, "k")), Map.of(),
                Map.of(new KeyOfUser(1, "k"), new RecordedIssue(3L, 7)));

        assertThat(decisions).containsExactly(new Replay(3L), new Refuse(ErrorCode.COUPON_SOLD_OUT));
    }

    @Test
    void aKeyRecordedForAnotherCouponIsRefusedAloneAndTheOthersAreDecidedAsUsual() {
        List<Request> requests = List.of(new Request(1, null), new Request(2, "k"), new Request(2, "k"),
                new Request(3, null));

        List<Decision> decisions = BatchDecider.decide(coupon(100, 0, 0), NOW, requests, Map.of(),
                Map.of(new KeyOfUser(2, "k"), new RecordedIssue(40L, 8)));

        assertThat(decisions).containsExactly(new Issue(0), new Refuse(ErrorCode.IDEMPOTENCY_KEY_REUSED),
                new Refuse(ErrorCode.IDEMPOTENCY_KEY_REUSED), new Issue(1));
    }

    @Test
    void theWindowRefusesEveryoneBeforeStartAndFromTheEnd() {
        CouponSnapshot coupon = coupon(100, 0, 0);

        assertThat(BatchDecider.decide(coupon, coupon.startDate().minusNanos(1000), distinctUsers(2), Map.of(),
                Map.of())).containsOnly(new Refuse(ErrorCode.COUPON_NOT_STARTED));
        assertThat(BatchDecider.decide(coupon, coupon.endDate(), distinctUsers(2), Map.of(), Map.of()))
                .containsOnly(new Refuse(ErrorCode.COUPON_ENDED));
        assertThat(BatchDecider.decide(coupon, coupon.startDate(), distinctUsers(1), Map.of(), Map.of()))
                .containsExactly(new Issue(0));
    }

    @Test
    void aPausedCouponRefusesEveryoneButStillReplaysRecordedKeys() {
        CouponSnapshot paused = new CouponSnapshot(7, 100, 0, 0, NOW.minusHours(1), NOW.plusHours(1), true);

        assertThat(BatchDecider.decide(paused, NOW, List.of(new Request(1, "k"), new Request(2, null)), Map.of(),
                Map.of(new KeyOfUser(1, "k"), new RecordedIssue(3L, 7))))
                .containsExactly(new Replay(3L), new Refuse(ErrorCode.COUPON_PAUSED));
        assertThat(BatchDecider.decide(paused, paused.endDate(), distinctUsers(1), Map.of(), Map.of()))
                .as("an ended coupon says so, paused or not").containsExactly(new Refuse(ErrorCode.COUPON_ENDED));
    }

    @Test
    void anEmptyBatchDecidesNothing() {
        assertThat(BatchDecider.decide(coupon(1, 0, 0), NOW, List.of(), Map.of(), Map.of())).isEmpty();
    }
}
