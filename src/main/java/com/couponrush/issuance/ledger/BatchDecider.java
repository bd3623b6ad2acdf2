package com.couponrush.issuance.ledger;

import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides one group-commit batch: a pure function of the locked coupon row, the users' held counts,
 * the idempotency keys already on record and the requests in arrival order, applying {@link IssuancePolicy}
 * request by request. Kept free of SQL and threads so that first-come-first-served and the limits can be
 * tested exhaustively in isolation. The group-commit engine decides its batches with it, the waiting line its places.
 */
public final class BatchDecider {

    private BatchDecider() {
    }

    public record Request(long userId, String idempotencyKey) {
    }

    public record KeyOfUser(long userId, String idempotencyKey) {
    }

    public sealed interface Decision permits Issue, Replay, SameAs, Refuse {
    }

    /** A new row; {@code slot} is its position among the batch's winners, i.e. in the multi-row insert. */
    public record Issue(int slot) implements Decision {
    }

    /** The idempotency key already has a committed row of this coupon: answer with it, write nothing. */
    public record Replay(long userCouponId) implements Decision {
    }

    /** The same key came twice in this batch: the later request gets whatever the earlier one gets. */
    public record SameAs(int requestIndex) implements Decision {
    }

    public record Refuse(ErrorCode reason) implements Decision {
    }

    /**
     * @param held     coupons of this coupon already held, per user (absent = 0); read only when the coupon
     *                 limits per user
     * @param recorded rows already committed for the requests' idempotency keys, of any coupon: a key names one
     *                 request of a user, so a key recorded for another coupon is refused, not replayed
     * @return one decision per request, same order; {@link Issue} slots are 0, 1, 2... in arrival order
     */
    public static List<Decision> decide(CouponSnapshot coupon, LocalDateTime now, List<Request> requests,
                                 Map<Long, Integer> held, Map<KeyOfUser, RecordedIssue> recorded) {
        Map<Long, Integer> holding = new HashMap<>(held);
        Map<KeyOfUser, Integer> firstWithKey = new HashMap<>();
        List<Decision> decisions = new ArrayList<>(requests.size());
        int remaining = coupon.remaining();
        int slot = 0;
        for (int index = 0; index < requests.size(); index++) {
            Request request = requests.get(index);
            if (request.idempotencyKey() != null) {
                KeyOfUser key = new KeyOfUser(request.userId(), request.idempotencyKey());
                RecordedIssue earlier = recorded.get(key);
                if (earlier != null) {
                    ErrorCode reused = IssuancePolicy.replayOf(earlier, coupon.id());
                    decisions.add(reused == null ? new Replay(earlier.userCouponId()) : new Refuse(reused));
                    continue;
                }
                Integer first = firstWithKey.putIfAbsent(key, index);
                if (first != null) {
                    decisions.add(new SameAs(first));
                    continue;
                }
            }
            ErrorCode refusal = IssuancePolicy.refusal(coupon, now, remaining,
                    () -> holding.getOrDefault(request.userId(), 0));
            if (refusal != null) {
                decisions.add(new Refuse(refusal));
            } else {
                remaining--;
                holding.merge(request.userId(), 1, Integer::sum);
                decisions.add(new Issue(slot++));
            }
        }
        return decisions;
    }
}
