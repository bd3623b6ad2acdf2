package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.ledger.BatchDecider.Decision;
import com.couponrush.issuance.ledger.BatchDecider.Issue;
import com.couponrush.issuance.ledger.BatchDecider.KeyOfUser;
import com.couponrush.issuance.ledger.BatchDecider.Request;
import com.couponrush.issuance.ledger.BatchDecider.SameAs;
import com.couponrush.issuance.ledger.BatchDecider;
import com.couponrush.issuance.ledger.BatchLedger;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.issuance.ledger.RecordedIssue;
import com.couponrush.issuance.line.LineAtTheCouponLock;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one batch in one short transaction: lock the coupon row once, then, if the coupon has a waiting line, the
 * line's row (one indexed read, the line decider's lock order), read the keys on record and the users' held counts for the whole
 * batch, decide ({@link BatchDecider}), insert all winners in one statement, move the counter once, commit. Every
 * statement runs under the limits of {@link BatchTransactions}.
 *
 * <p>The line comes first ({@link LineAtTheCouponLock}): while places are waiting, the batch does not overtake
 * them, and its requests that replay no recorded key take places at the end of the line in the same transaction,
 * answered with their place (or the one their user holds). With the line decided through, a user who holds a place
 * is answered from it (the coupon it got, or why not), one query for the batch. A coupon that never had a line
 * costs nothing more: its row says so, and a line is only opened under that row's lock.
 */
class BatchWriter {

    /**
     * What a committed batch saw and decided; {@code ids} are the winners' rows in arrival order; {@code byLine}
     * the line's answer for each request (by index) that the line answered, whose decision is null.
     */
    record Outcome(CouponSnapshot coupon, List<Decision> decisions, List<Long> ids,
                   Map<Integer, LineAtTheCouponLock.Answer> byLine) {
    }

    private final IssuanceLedger ledger;
    private final BatchLedger batches;
    private final BatchTransactions transactions;
    private final LineAtTheCouponLock line;
    private final Clock clock;

    BatchWriter(IssuanceLedger ledger, BatchLedger batches, LineAtTheCouponLock line, BatchTransactions transactions,
                Clock clock) {
        this.ledger = ledger;
        this.batches = batches;
        this.line = line;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** @throws ApiException COUPON_NOT_FOUND when there is no such coupon (nothing written) */
    Outcome write(DatabaseWatch.InFlight batch, long couponId, List<IssueCommand> commands) {
        return transactions.inTransaction(batch, () -> decideAndWrite(couponId, commands));
    }

    /** Rows already committed under these keys, read under the same limits (no lock: nothing is written). */
    Map<KeyOfUser, RecordedIssue> recorded(DatabaseWatch.InFlight batch, Collection<KeyOfUser> keys) {
        return transactions.inTransaction(batch, () -> batches.recorded(keys));
    }

    void probe() {
        transactions.probe();
    }

    private Outcome decideAndWrite(long couponId, List<IssueCommand> commands) {
        IssuanceLedger.LockedCoupon locked = ledger.lockForBatch(couponId)
                .orElseThrow(() -> new ApiException(ErrorCode.COUPON_NOT_FOUND));
        CouponSnapshot coupon = locked.coupon();
        // the time is read under the lock: an operator's close, which reads its time under the same lock,
        // is then either earlier than this batch (which sees it) or later than everything this batch issues
        LocalDateTime now = LocalDateTime.now(clock);
        LineAtTheCouponLock.State lineState = locked.lineOpened() ? line.lock(couponId)
                : LineAtTheCouponLock.State.NO_LINE;
        List<Request> requests = new ArrayList<>(commands.size());
        Set<KeyOfUser> keys = new LinkedHashSet<>();
        for (IssueCommand command : commands) {
            requests.add(new Request(command.userId(), command.idempotencyKey()));
            if (command.idempotencyKey() != null) {
                keys.add(new KeyOfUser(command.userId(), command.idempotencyKey()));
            }
        }
        Map<KeyOfUser, RecordedIssue> recorded = batches.recorded(keys);
        List<Integer> newcomers = new ArrayList<>();
        Set<Long> newUsers = new LinkedHashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            if (request.idempotencyKey() == null
                    || !recorded.containsKey(new KeyOfUser(request.userId(), request.idempotencyKey()))) {
                newcomers.add(i);
                newUsers.add(request.userId());
            }
        }
        Map<Long, LineAtTheCouponLock.Answer> fromTheLine = newUsers.isEmpty() ? Map.of() : switch (lineState) {
            case NO_LINE -> Map.of();
            case NOTHING_WAITING -> line.placesHeld(couponId, newUsers);
            case PLACES_WAITING -> line.placeAtTheEnd(couponId, List.copyOf(newUsers));
        };
        Map<Integer, LineAtTheCouponLock.Answer> byLine = new HashMap<>();
        for (int i : newcomers) {
            LineAtTheCouponLock.Answer answer = fromTheLine.get(requests.get(i).userId());
            if (answer != null) {
                byLine.put(i, answer);
            }
        }
        return decideTheRest(coupon, now, requests, recorded, byLine);
    }

    /**
     * Decides the requests the line did not answer as a direct issuance, and writes the winners. The decisions are
     * returned one per request of the batch, null where the line answered.
     */
    private Outcome decideTheRest(CouponSnapshot coupon, LocalDateTime now, List<Request> requests,
                                  Map<KeyOfUser, RecordedIssue> recorded,
                                  Map<Integer, LineAtTheCouponLock.Answer> byLine) {
        List<Integer> indexOfDirect = new ArrayList<>(requests.size() - byLine.size());
        List<Request> direct = new ArrayList<>(requests.size() - byLine.size());
        Set<Long> users = new LinkedHashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            if (!byLine.containsKey(i)) {
                indexOfDirect.add(i);
                direct.add(requests.get(i));
                users.add(requests.get(i).userId());
            }
        }
        boolean open = IssuancePolicy.open(coupon, now);
        Map<Long, Integer> held = open && coupon.limitsPerUser() && !users.isEmpty()
                ? batches.heldCounts(coupon.id(), users) : Map.of();
        List<Decision> directDecisions = BatchDecider.decide(coupon, now, direct, held, recorded);
        List<Request> winners = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>(Collections.nCopies(requests.size(), (Decision) null));
        for (int j = 0; j < directDecisions.size(); j++) {
            Decision decision = directDecisions.get(j);
            if (decision instanceof Issue) {
                winners.add(direct.get(j));
            } else if (decision instanceof SameAs same) {
                decision = new SameAs(indexOfDirect.get(same.requestIndex()));
            }
            decisions.set(indexOfDirect.get(j), decision);
        }
        List<Long> ids = batches.insertAll(coupon.id(), winners, now);
        if (!winners.isEmpty()) {
            ledger.addIssued(coupon.id(), winners.size());
        }
        return new Outcome(coupon, decisions, ids, byLine);
    }
}
