package com.couponrush.issuance.line;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open streams of places being followed: each gets its place's position and estimate every second and its
 * outcome as soon as the decider has passed it, then ends. A stream reads its place from memory
 * ({@link WaitingLine#following}); only the reading that finds it decided costs a query. The number of streams is
 * bounded per user and in all, so clients cannot grow this state: beyond the per-user bound 429
 * TOO_MANY_STREAMS, beyond the total 503 SERVICE_OVERLOADED.
 */
final class PlaceStreams {

    private static final Logger log = LoggerFactory.getLogger(PlaceStreams.class);

    static final String EVENT = "place";
    static final Duration CONNECTION_LIFETIME = Duration.ofMinutes(30);
    private static final long TICK_NANOS = Duration.ofSeconds(1).toNanos();

    private final class Follower {
        private final long userId;
        private final KnownPlaces.Known place;
        private final SseEmitter emitter = new SseEmitter(CONNECTION_LIFETIME.toMillis());
        private final AtomicBoolean closed = new AtomicBoolean();

        private Follower(long userId, KnownPlaces.Known place) {
            this.userId = userId;
            this.place = place;
        }

        private void send() {
            if (closed.get()) {
                return;
            }
            try {
                PlaceView view = presenter.apply(place);
                emitter.send(SseEmitter.event().name(EVENT).data(LineDtos.PlaceResponse.of(view),
                        MediaType.APPLICATION_JSON));
                if (!view.waiting()) {
                    end(null);
                }
            } catch (IOException | IllegalStateException gone) {
                end(gone);
            } catch (DataAccessException unavailable) {
                // the outcome could not be read this time; the next tick reads it again
                log.debug("reading a followed place of coupon {} failed: {}", place.place().couponId(),
                        unavailable.toString());
            } catch (Throwable broken) {
                // Never thrown on: the updates run as one periodic task, which once it throws is never run again,
                // and every stream would fall silent for good. Only this stream ends.
                log.error("ending the stream of a place of coupon {}: its update failed", place.place().couponId(),
                        broken);
                end(broken);
            }
        }

        /**
         * Lets the stream go and ends its request; never throws. It runs in {@code send}'s catch blocks, which
         * nothing catches: a failed write reaches the container too, which ends the request on a thread of its own,
         * and once it has, Tomcat refuses this thread's dispatch with an IllegalStateException that would otherwise
         * end the periodic task of every stream.
         *
         * @param failure why the stream ends, or null when it ends with the place's outcome
         */
        private void end(@Nullable Throwable failure) {
            close();
            try {
                if (failure == null) {
                    emitter.complete();
                } else {
                    emitter.completeWithError(failure);
                }
            } catch (RuntimeException alreadyEnded) {
                log.debug("the stream of a place of coupon {} had already ended: {}", place.place().couponId(),
                        alreadyEnded.toString());
            }
        }

        private void close() {
            if (closed.compareAndSet(false, true)) {
                followers.remove(this);
                release(userId);
            }
        }
    }

    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> perUser = new HashMap<>();
    private final Function<KnownPlaces.Known, PlaceView> presenter;
    private final ScheduledExecutorService thread;
    private final int maxPerUser;
    private final int max;
    private final long retryAfterSeconds;
    private int open;
    private volatile ScheduledFuture<?> ticks;

    PlaceStreams(Function<KnownPlaces.Known, PlaceView> presenter, ScheduledExecutorService thread,
                 LineProperties properties) {
        this.presenter = presenter;
        this.thread = thread;
        this.maxPerUser = properties.maxStreamsPerUser();
        this.max = properties.maxStreams();
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
    }

    /**
     * A stream of the user's place, its first event already on its way.
     *
     * @throws ApiException TOO_MANY_STREAMS past the per-user bound; SERVICE_OVERLOADED past the total
     */
    SseEmitter open(long userId, KnownPlaces.Known place) {
        reserve(userId);
        Follower follower = new Follower(userId, place);
        follower.emitter.onCompletion(follower::close);
        follower.emitter.onTimeout(follower::close);
        follower.emitter.onError(error -> follower.close());
        followers.add(follower);
        try {
            thread.execute(follower::send);
        } catch (RejectedExecutionException stopping) {
            follower.close();
            throw new RetryableApiException(ErrorCode.SHUTTING_DOWN, retryAfterSeconds);
        }
        return follower.emitter;
    }

    /** The decider passed places up to {@code decidedThrough}: their streams learn their outcome now. */
    void decided(long couponId, long decidedThrough) {
        if (followers.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> followers.stream()
                    .filter(f -> f.place.place().couponId() == couponId
                            && f.place.place().number() <= decidedThrough)
                    .forEach(Follower::send));
        } catch (RejectedExecutionException stopping) {
            // shutting down: the streams are being completed
        }
    }

    void start() {
        ticks = thread.scheduleWithFixedDelay(() -> followers.forEach(Follower::send), TICK_NANOS, TICK_NANOS,
                TimeUnit.NANOSECONDS);
    }

    /** Ends every stream: an open stream is a request that never ends, and would hold up a graceful shutdown. */
    void stop() {
        ScheduledFuture<?> running = ticks;
        ticks = null;
        if (running != null) {
            running.cancel(false);
        }
        for (Follower follower : followers) {
            follower.end(null);
        }
    }

    int open() {
        synchronized (perUser) {
            return open;
        }
    }

    private void reserve(long userId) {
        synchronized (perUser) {
            int mine = perUser.getOrDefault(userId, 0);
            if (mine >= maxPerUser) {
                throw new ApiException(ErrorCode.TOO_MANY_STREAMS);
            }
            if (open >= max) {
                throw new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, retryAfterSeconds);
            }
            perUser.put(userId, mine + 1);
            open++;
        }
    }

    private void release(long userId) {
        synchronized (perUser) {
            perUser.computeIfPresent(userId, (user, count) -> count > 1 ? count - 1 : null);
            open--;
        }
    }
}
