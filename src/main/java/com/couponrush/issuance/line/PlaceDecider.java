package com.couponrush.issuance.line;

import com.couponrush.issuance.ledger.BatchDecider;
import com.couponrush.issuance.ledger.BatchDecider.Decision;
import com.couponrush.issuance.ledger.BatchDecider.Issue;
import com.couponrush.issuance.ledger.BatchDecider.Refuse;
import com.couponrush.issuance.ledger.BatchLedger;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides the next places of one coupon's line in one transaction, in place order and by the rules of a direct
 * issuance: lock the coupon row (the lock every engine batch, lock strategy and operator control takes), then the
 * line; decide the next waiting places with {@link BatchDecider} as one batch of requests; insert the winners'
 * rows in one statement, move the counter, write the outcomes and how far the line is decided; commit. Paused or
 * not started: nothing is decided, the places wait. Ended, or no stock left (also after a batch took the last
 * coupon): every waiting place is refused at once, so nobody waits for a coupon that cannot come.
 */
class PlaceDecider {

    /** The line after a decision, and how many places it decided. */
    record Decided(LineRow line, long count) {
    }

    private final WaitingLineLedger lines;
    private final IssuanceLedger coupons;
    private final BatchLedger holdings;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int maxBatch;

    PlaceDecider(WaitingLineLedger lines, IssuanceLedger coupons, BatchLedger holdings,
                 TransactionTemplate transactions, Clock clock, int maxBatch) {
        this.lines = lines;
        this.coupons = coupons;
        this.holdings = holdings;
        this.transactions = transactions;
        this.clock = clock;
        this.maxBatch = maxBatch;
    }

    /** Null if the coupon has no line. */
    Decided decideNext(long couponId) {
        return transactions.execute(status -> decideUnderLock(couponId));
    }

    private Decided decideUnderLock(long couponId) {
        CouponSnapshot coupon = coupons.findForUpdate(couponId).orElse(null);
        LineRow line = coupon == null ? null : lines.lock(couponId).orElse(null);
        if (line == null) {
            return null;
        }
        // the time is read under the coupon lock, as an engine batch reads it (see BatchWriter)
        LocalDateTime now = LocalDateTime.now(clock);
        if (line.waiting() == 0 || IssuancePolicy.placesWait(coupon, now)) {
            return new Decided(line, 0);
        }
        ErrorCode forEveryone = IssuancePolicy.lastingRefusal(coupon, 0, now);
        if (forEveryone != null) {
            return refuseTheRest(line, line.decidedThrough(), forEveryone, now, 0);
        }
        List<Place> places = lines.places(couponId, line.decidedThrough(),
                Math.min(line.lastPlace(), line.decidedThrough() + maxBatch));
        long expected = Math.min(line.waiting(), maxBatch);
        if (places.size() != expected || places.get(0).number() != line.decidedThrough() + 1) {
            throw new IllegalStateException("the waiting places of coupon " + couponId + " after "
                    + line.decidedThrough() + " are not numbered consecutively");
        }
        List<BatchDecider.Request> requests = new ArrayList<>(places.size());
        Set<Long> users = new LinkedHashSet<>();
        for (Place place : places) {
            requests.add(new BatchDecider.Request(place.userId(), null));
            users.add(place.userId());
        }
        Map<Long, Integer> held = coupon.limitsPerUser() ? holdings.heldCounts(couponId, users) : Map.of();
        List<Decision> decisions = BatchDecider.decide(coupon, now, requests, held, Map.of());
        List<BatchDecider.Request> winners = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            if (decisions.get(i) instanceof Issue) {
                winners.add(requests.get(i));
            }
        }
        List<Long> ids = holdings.insertAll(couponId, winners, now);
        if (!winners.isEmpty()) {
            coupons.addIssued(couponId, winners.size());
        }
        List<Place> decided = new ArrayList<>(places.size());
        for (int i = 0; i < places.size(); i++) {
            Place place = places.get(i);
            Decision decision = decisions.get(i);
            if (decision instanceof Issue issue) {
                decided.add(new Place(couponId, place.number(), place.userId(), Place.Status.ISSUED, null,
                        ids.get(issue.slot())));
            } else if (decision instanceof Refuse refuse) {
                decided.add(new Place(couponId, place.number(), place.userId(), Place.Status.REFUSED,
                        refuse.reason(), null));
            } else {
                throw new IllegalStateException("a place without a key was decided as " + decision);
            }
        }
        long through = places.get(places.size() - 1).number();
        lines.decide(couponId, decided, through, now);
        if (coupon.remaining() - winners.size() <= 0 && through < line.lastPlace()) {
            return refuseTheRest(line, through, ErrorCode.COUPON_SOLD_OUT, now, decided.size());
        }
        return new Decided(new LineRow(couponId, line.nextPlace(), through), decided.size());
    }

    private Decided refuseTheRest(LineRow line, long after, ErrorCode reason, LocalDateTime now, long decidedSoFar) {
        lines.refuseAllAfter(line.couponId(), after, line.lastPlace(), reason, now);
        return new Decided(new LineRow(line.couponId(), line.nextPlace(), line.lastPlace()),
                decidedSoFar + line.lastPlace() - after);
    }
}
