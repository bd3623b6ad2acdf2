package com.couponrush.issuance.line;

import com.couponrush.issuance.ledger.BatchLedger;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives places to a batch of users of one coupon in one transaction: lock the coupon's line, read the places
 * those users already hold (they keep them), refuse whoever cannot get a coupon through the line
 * ({@link IssuancePolicy#joiningRefusal}), number the rest consecutively from the line's next number, insert them in
 * one statement, move the next number, commit. Only then is anyone answered, so a place answered is a place kept.
 * The coupon row is read, not locked: the decider holds it while it takes the line's lock, and the line's lock is
 * what orders the numbers.
 */
class PlaceGiver {

    /** What one batch gave: the line as it stands after the commit, each user's place or refusal. */
    record Given(LineRow line, Map<Long, Place> places, Map<Long, ErrorCode> refusals) {
    }

    private final WaitingLineLedger lines;
    private final IssuanceLedger coupons;
    private final BatchLedger holdings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PlaceGiver(WaitingLineLedger lines, IssuanceLedger coupons, BatchLedger holdings,
               TransactionTemplate transactions, Clock clock) {
        this.lines = lines;
        this.coupons = coupons;
        this.holdings = holdings;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** @throws ApiException COUPON_NOT_FOUND when there is no such coupon (nothing written) */
    Given give(long couponId, List<Long> users) {
        for (int attempt = 0; ; attempt++) {
            Given given = transactions.execute(status -> giveUnderLock(couponId, users));
            if (given != null) {
                return given;
            }
            if (coupons.find(couponId).isEmpty()) {
                throw new ApiException(ErrorCode.COUPON_NOT_FOUND);
            }
            if (!Boolean.TRUE.equals(transactions.execute(status -> lines.open(couponId))) && attempt > 0) {
                throw new IllegalStateException("the waiting line of coupon " + couponId + " cannot be opened");
            }
        }
    }

    /** Null when the coupon has no line yet. In the caller's transaction, which holds the line's lock once it ends. */
    Given giveUnderLock(long couponId, List<Long> users) {
        LineRow line = lines.lock(couponId).orElse(null);
        if (line == null) {
            return null;
        }
        CouponSnapshot coupon = coupons.find(couponId).orElseThrow(() -> new ApiException(ErrorCode.COUPON_NOT_FOUND));
        LocalDateTime now = LocalDateTime.now(clock);
        Set<Long> asking = new LinkedHashSet<>(users);
        Map<Long, Place> places = new HashMap<>();
        for (Place place : lines.placesOf(couponId, asking)) {
            places.put(place.userId(), place);
        }
        List<Long> newcomers = new ArrayList<>(asking);
        newcomers.removeAll(places.keySet());
        Map<Long, Integer> held = coupon.limitsPerUser() && !newcomers.isEmpty()
                ? holdings.heldCounts(couponId, newcomers) : Map.of();
        Map<Long, ErrorCode> refusals = new HashMap<>();
        long waiting = line.waiting();
        for (Long user : newcomers) {
            ErrorCode refusal = IssuancePolicy.joiningRefusal(coupon, now, waiting,
                    () -> held.getOrDefault(user, 0));
            if (refusal != null) {
                refusals.put(user, refusal);
            } else {
                waiting++;
            }
        }
        Set<Long> notNumbered = new HashSet<>(places.keySet());
        notNumbered.addAll(refusals.keySet());
        Map<Long, Long> numbers = Numbering.assign(line.nextPlace(), newcomers, notNumbered);
        long nextPlace = line.nextPlace() + numbers.size();
        lines.give(couponId, numbers, nextPlace, now);
        numbers.forEach((user, number) -> places.put(user, Place.waiting(couponId, number, user)));
        return new Given(new LineRow(couponId, nextPlace, line.decidedThrough()), places, refusals);
    }
}
