package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.ledger.BatchDecider.Decision;
import com.couponrush.issuance.ledger.BatchDecider.Issue;
import com.couponrush.issuance.ledger.BatchDecider.KeyOfUser;
import com.couponrush.issuance.ledger.BatchDecider.Request;
import com.couponrush.issuance.ledger.BatchDecider;
import com.couponrush.issuance.ledger.BatchLedger;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.issuance.ledger.RecordedIssue;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one batch in one short transaction: lock the coupon row once, read the users' held counts and the keys
 * on record for the whole batch, decide ({@link BatchDecider}), insert all winners in one statement, move the
 * counter once, commit. Every statement runs under the limits of {@link BatchTransactions}.
 */
class BatchWriter {

    /** What a committed batch saw and decided; {@code ids} are the winners' rows in arrival order. */
    record Outcome(CouponSnapshot coupon, List<Decision> decisions, List<Long> ids) {
    }

    private final IssuanceLedger ledger;
    private final BatchLedger batches;
    private final BatchTransactions transactions;
    private final Clock clock;

    BatchWriter(IssuanceLedger ledger, BatchLedger batches, BatchTransactions transactions, Clock clock) {
        this.ledger = ledger;
        this.batches = batches;
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
        CouponSnapshot coupon = ledger.findForUpdate(couponId)
                .orElseThrow(() -> new ApiException(ErrorCode.COUPON_NOT_FOUND));
        // the time is read under the lock: an operator's close, which reads its time under the same lock,
        // is then either earlier than this batch (which sees it) or later than everything this batch issues
        LocalDateTime now = LocalDateTime.now(clock);
        List<Request> requests = new ArrayList<>(commands.size());
        Set<Long> users = new LinkedHashSet<>();
        Set<KeyOfUser> keys = new LinkedHashSet<>();
        for (IssueCommand command : commands) {
            requests.add(new Request(command.userId(), command.idempotencyKey()));
            users.add(command.userId());
            if (command.idempotencyKey() != null) {
                keys.add(new KeyOfUser(command.userId(), command.idempotencyKey()));
            }
        }
        boolean open = IssuancePolicy.open(coupon, now);
        Map<Long, Integer> held = open && coupon.limitsPerUser() ? batches.heldCounts(couponId, users) : Map.of();
        Map<KeyOfUser, RecordedIssue> recorded = batches.recorded(keys);
        List<Decision> decisions = BatchDecider.decide(coupon, now, requests, held, recorded);
        List<Request> winners = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            if (decisions.get(i) instanceof Issue) {
                winners.add(requests.get(i));
            }
        }
        List<Long> ids = batches.insertAll(couponId, winners, now);
        if (!winners.isEmpty()) {
            ledger.addIssued(couponId, winners.size());
        }
        return new Outcome(coupon, decisions, ids);
    }
}
