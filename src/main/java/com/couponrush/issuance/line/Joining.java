package com.couponrush.issuance.line;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Who is asking for a place, per coupon, on this instance: a small lane per coupon (users in the order they
 * asked, one entry per user, so a user's further requests meanwhile share the first one's answer), drained by the
 * joiner threads one batch, one transaction ({@link PlaceGiver}), at a time; a lane goes away when empty. A coupon
 * with a batch in its transaction collects the next batch meanwhile, as the engine's lanes do.
 */
final class Joining {

    /** One user's answer from a committed batch: the place, and the line as the batch left it. */
    record Joined(Place place, LineRow line) {
    }

    private static final Logger log = LoggerFactory.getLogger(Joining.class);

    private static final class Lane {
        private final long couponId;
        private final Map<Long, CompletableFuture<Joined>> asking = new LinkedHashMap<>();
        private boolean draining;
        private boolean retired;

        private Lane(long couponId) {
            this.couponId = couponId;
        }
    }

    private final Map<Long, Lane> lanes = new ConcurrentHashMap<>();
    private final PlaceGiver giver;
    private final Executor joiners;
    private final int maxJoining;
    private final int maxJoinBatch;
    private final long retryAfterSeconds;
    private final Consumer<PlaceGiver.Given> afterCommit;

    Joining(PlaceGiver giver, Executor joiners, LineProperties properties, Consumer<PlaceGiver.Given> afterCommit) {
        this.giver = giver;
        this.joiners = joiners;
        this.maxJoining = properties.maxJoining();
        this.maxJoinBatch = properties.maxJoinBatch();
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
        this.afterCommit = afterCommit;
    }

    CompletableFuture<Joined> join(long couponId, long userId) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(couponId, Lane::new);
            CompletableFuture<Joined> answer;
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                answer = lane.asking.get(userId);
                if (answer != null) {
                    return answer;
                }
                if (lane.asking.size() >= maxJoining) {
                    return CompletableFuture.failedFuture(
                            new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, retryAfterSeconds));
                }
                answer = new CompletableFuture<>();
                lane.asking.put(userId, answer);
                if (lane.draining) {
                    return answer;
                }
                lane.draining = true;
            }
            schedule(lane);
            return answer;
        }
    }

    int lanes() {
        return lanes.size();
    }

    private void schedule(Lane lane) {
        try {
            joiners.execute(() -> drainOneBatch(lane));
        } catch (RejectedExecutionException stopping) {
            failAll(lane, new RetryableApiException(ErrorCode.SHUTTING_DOWN, retryAfterSeconds));
        }
    }

    /** One batch per turn, then the lane queues again behind the others: one hot coupon cannot starve the rest. */
    private void drainOneBatch(Lane lane) {
        Map<Long, CompletableFuture<Joined>> batch = take(lane);
        if (batch.isEmpty()) {
            return;
        }
        try {
            answer(lane.couponId, batch);
        } finally {
            schedule(lane);
        }
    }

    private Map<Long, CompletableFuture<Joined>> take(Lane lane) {
        Map<Long, CompletableFuture<Joined>> batch = new LinkedHashMap<>();
        synchronized (lane) {
            Iterator<Map.Entry<Long, CompletableFuture<Joined>>> queued = lane.asking.entrySet().iterator();
            while (queued.hasNext() && batch.size() < maxJoinBatch) {
                Map.Entry<Long, CompletableFuture<Joined>> next = queued.next();
                batch.put(next.getKey(), next.getValue());
                queued.remove();
            }
            if (batch.isEmpty()) {
                lane.draining = false;
                lane.retired = true;
                lanes.remove(lane.couponId, lane);
            }
        }
        return batch;
    }

    private void answer(long couponId, Map<Long, CompletableFuture<Joined>> batch) {
        PlaceGiver.Given given;
        try {
            given = giver.give(couponId, List.copyOf(batch.keySet()));
        } catch (ApiException refusedForAll) {
            batch.values().forEach(answer -> answer.completeExceptionally(refusedForAll));
            return;
        } catch (DataAccessException | TransactionException e) {
            // a slow or unreachable database, the transaction's own time limit included; whether or not the batch
            // committed, asking again returns the place it may have given
            log.warn("giving places in the line of coupon {} failed: {}", couponId, e.toString());
            RetryableApiException unavailable = new RetryableApiException(ErrorCode.STORAGE_UNAVAILABLE,
                    retryAfterSeconds);
            batch.values().forEach(answer -> answer.completeExceptionally(unavailable));
            return;
        } catch (RuntimeException | Error e) {
            batch.values().forEach(answer -> answer.completeExceptionally(e));
            throw e;
        }
        afterCommit.accept(given);
        batch.forEach((user, answer) -> {
            ErrorCode refusal = given.refusals().get(user);
            if (refusal != null) {
                answer.completeExceptionally(new ApiException(refusal));
            } else {
                answer.complete(new Joined(given.places().get(user), given.line()));
            }
        });
    }

    private void failAll(Lane lane, ApiException failure) {
        Map<Long, CompletableFuture<Joined>> batch;
        do {
            batch = take(lane);
            batch.values().forEach(answer -> answer.completeExceptionally(failure));
        } while (!batch.isEmpty());
    }
}
