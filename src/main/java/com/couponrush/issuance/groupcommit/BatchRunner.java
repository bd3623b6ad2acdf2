package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.ledger.BatchDecider.Decision;
import com.couponrush.issuance.ledger.BatchDecider.Issue;
import com.couponrush.issuance.ledger.BatchDecider.KeyOfUser;
import com.couponrush.issuance.ledger.BatchDecider.Refuse;
import com.couponrush.issuance.ledger.BatchDecider.Replay;
import com.couponrush.issuance.ledger.BatchDecider.SameAs;
import com.couponrush.issuance.groupcommit.BatchTransactions.CommitOutcomeUnknown;
import com.couponrush.issuance.groupcommit.BatchWriter.Outcome;
import com.couponrush.issuance.line.LineAtTheCouponLock;
import com.couponrush.issuance.ledger.IssuancePolicy;
import com.couponrush.issuance.ledger.RecordedIssue;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Runs one batch of a coupon and answers every request in it with the batch's outcome, and only with it:
 * "issued" after the commit; a refusal or a 503 that says nothing was written when the batch was refused or
 * rolled back before its commit; OUTCOME_UNKNOWN only when the database stopped answering while the commit was
 * in flight. How far a failure reaches beyond the batch is {@link DatabaseWatch}'s, told by {@link BatchFault}.
 */
final class BatchRunner implements Drainers.Batches {

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

    private final BatchWriter writer;
    private final DatabaseWatch database;
    private final UnknownCoupons unknownCoupons;
    private final EngineMeters meters;
    private final Clock clock;
    private final Duration refresh;
    // Renewal starts halfway through the facts' life. A batch of one that reads the row can take a large part of a
    // second on a machine the crowd saturates (its statements wait for CPU like everything else), and facts that
    // expire before it commits send the whole crowd to the database at once; half the life leaves that batch the
    // other half, at the cost of about two reads of the row per refresh on a sold-out coupon.
    private final Duration renewAfter;
    private final long retryAfterSeconds;

    BatchRunner(BatchWriter writer, DatabaseWatch database, UnknownCoupons unknownCoupons, EngineMeters meters,
                Clock clock, Duration refresh, long retryAfterSeconds) {
        this.writer = writer;
        this.database = database;
        this.unknownCoupons = unknownCoupons;
        this.meters = meters;
        this.clock = clock;
        this.refresh = refresh;
        this.renewAfter = refresh.dividedBy(2);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public Answers run(CouponLane lane, List<Waiter> batch) {
        Answers answers = new Answers();
        LocalDateTime now = LocalDateTime.now(clock);
        ErrorCode known = lane.refusalWithoutDatabase(now);
        if (known != null && !lane.renewing()) {
            answerWithoutWriting(lane, batch, known, answers);
            return answers;
        }
        RetryableApiException unavailable = unavailable(lane.couponId);
        if (unavailable != null) {
            answers.failAll(batch, unavailable);
            return answers;
        }
        write(lane, batch, now, true, answers);
        return answers;
    }

    /** Refused by what the lane knows; keyed requests first learn whether their key already has a row. */
    private void answerWithoutWriting(CouponLane lane, List<Waiter> batch, ErrorCode known, Answers answers) {
        List<Waiter> keyed = new ArrayList<>();
        for (Waiter waiter : batch) {
            if (waiter.command.idempotencyKey() == null) {
                answers.fail(waiter, new ApiException(known));
            } else {
                keyed.add(waiter);
            }
        }
        if (keyed.isEmpty()) {
            return;
        }
        RetryableApiException unavailable = unavailable(lane.couponId);
        if (unavailable != null) {
            answers.failAll(keyed, unavailable);
            return;
        }
        List<KeyOfUser> keys = keyed.stream().map(waiter -> keyOf(waiter.command)).toList();
        DatabaseWatch.InFlight inFlight = database.batchStarted(lane.couponId);
        Map<KeyOfUser, RecordedIssue> recorded;
        try {
            recorded = writer.recorded(inFlight, keys);
        } catch (RuntimeException failure) {
            failed(lane, keyed, failure, answers);
            return;
        } finally {
            database.batchEnded(inFlight);
        }
        for (Waiter waiter : keyed) {
            RecordedIssue earlier = recorded.get(keyOf(waiter.command));
            if (earlier == null) {
                answers.fail(waiter, new ApiException(known));
            } else {
                ErrorCode reused = IssuancePolicy.replayOf(earlier, lane.couponId);
                if (reused == null) {
                    answers.succeed(waiter, new IssuedCoupon(earlier.userCouponId()));
                } else {
                    answers.fail(waiter, new ApiException(reused));
                }
            }
        }
    }

    private void write(CouponLane lane, List<Waiter> batch, LocalDateTime now, boolean mayRetryConflict,
                       Answers answers) {
        DatabaseWatch.InFlight inFlight = database.batchStarted(lane.couponId);
        Outcome outcome;
        try {
            outcome = writer.write(inFlight, lane.couponId, batch.stream().map(waiter -> waiter.command).toList());
        } catch (ApiException notFound) {
            unknownCoupons.remember(lane.couponId);
            lane.markMissing();
            answers.failAll(batch, notFound);
            return;
        } catch (DataIntegrityViolationException conflict) {
            if (mayRetryConflict) {
                // Usually another instance committed one of our keys between our key lookup and our insert:
                // deciding again sees its row, so only that request is refused and the rest commit together.
                write(lane, batch, now, false, answers);
            } else {
                isolate(lane, batch, now, conflict, answers);
            }
            return;
        } catch (CommitOutcomeUnknown unknown) {
            database.unreachable();
            meters.outcomesUnknown(batch.size());
            log.warn("group-commit batch of {} for coupon {}: the database stopped answering during the commit",
                    batch.size(), lane.couponId, unknown.getCause());
            answers.failAll(batch, retryable(ErrorCode.OUTCOME_UNKNOWN));
            return;
        } catch (RuntimeException failure) {
            failed(lane, batch, failure, answers);
            return;
        } finally {
            database.batchEnded(inFlight);
        }
        meters.committed(batch.size(), inFlight.startedNanos);
        database.batchSucceeded(lane.couponId);
        lane.learn(outcome.coupon(), outcome.ids().size(), now.plus(renewAfter), now.plus(refresh));
        answer(batch, outcome, answers);
    }

    /**
     * A constraint refused the batch twice: rare (a user row vanished). Deciding each request alone confines the
     * refusal to the request that caused it.
     */
    private void isolate(CouponLane lane, List<Waiter> batch, LocalDateTime now,
                         DataIntegrityViolationException conflict, Answers answers) {
        if (batch.size() == 1) {
            answers.fail(batch.get(0), conflict);
            return;
        }
        for (Waiter waiter : batch) {
            write(lane, List.of(waiter), now, false, answers);
        }
    }

    /** Failed before any commit was sent: nothing was written, and the answer says why. */
    private void failed(CouponLane lane, List<Waiter> batch, RuntimeException failure, Answers answers) {
        RuntimeException answer = switch (BatchFault.of(failure)) {
            case CONTENDED -> {
                database.rowContended(lane.couponId);
                log.info("group-commit batch of {} for coupon {} met a contended row: {}", batch.size(),
                        lane.couponId, failure.toString());
                yield retryable(ErrorCode.COUPON_BUSY);
            }
            case UNREACHABLE -> {
                database.unreachable();
                log.warn("group-commit batch of {} for coupon {} could not reach the database: {}", batch.size(),
                        lane.couponId, failure.toString());
                yield retryable(ErrorCode.STORAGE_UNAVAILABLE);
            }
            case POOL_EXHAUSTED -> {
                log.warn("group-commit batch of {} for coupon {} found no free pool connection", batch.size(),
                        lane.couponId);
                yield retryable(ErrorCode.SERVICE_OVERLOADED);
            }
            // a bug: the error handler answers 500 with an id it logs beside this
            case FAILED -> failure;
        };
        answers.failAll(batch, answer);
    }

    private void answer(List<Waiter> batch, Outcome outcome, Answers answers) {
        for (int i = 0; i < batch.size(); i++) {
            LineAtTheCouponLock.Answer byLine = outcome.byLine().get(i);
            if (byLine != null) {
                answerFromTheLine(batch.get(i), outcome.coupon().id(), byLine, answers);
                continue;
            }
            Decision decision = outcome.decisions().get(i);
            if (decision instanceof SameAs same) {
                decision = outcome.decisions().get(same.requestIndex());
            }
            Waiter waiter = batch.get(i);
            if (decision instanceof Issue issue) {
                answers.succeed(waiter, new IssuedCoupon(outcome.ids().get(issue.slot())));
            } else if (decision instanceof Replay replay) {
                answers.succeed(waiter, new IssuedCoupon(replay.userCouponId()));
            } else if (decision instanceof Refuse refuse) {
                answers.fail(waiter, new ApiException(refuse.reason()));
            }
        }
    }

    private void answerFromTheLine(Waiter waiter, long couponId, LineAtTheCouponLock.Answer answer,
                                   Answers answers) {
        if (answer.place() != null) {
            PlaceAnswers.answer(answers, waiter, couponId, answer.place(), retryAfterSeconds);
        } else {
            answers.fail(waiter, new ApiException(answer.refusal() == null ? ErrorCode.INTERNAL_ERROR
                    : answer.refusal()));
        }
    }

    /** The instance-wide outage, then the coupon's pause after a contended row: refused without the database. */
    private RetryableApiException unavailable(long couponId) {
        if (!database.reachable()) {
            return retryable(ErrorCode.STORAGE_UNAVAILABLE);
        }
        return database.contended(couponId) ? retryable(ErrorCode.COUPON_BUSY) : null;
    }

    private RetryableApiException retryable(ErrorCode code) {
        return new RetryableApiException(code, retryAfterSeconds);
    }

    private static KeyOfUser keyOf(IssueCommand command) {
        return new KeyOfUser(command.userId(), command.idempotencyKey());
    }
}
