package com.couponrush.issuance.line;

import com.couponrush.issuance.ledger.BatchLedger;
import com.couponrush.issuance.ledger.IssuanceLedger;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The waiting line of every coupon (see docs/line.md): a place per user per coupon, numbered in one sequence per
 * coupon across instances, kept in the database, decided in place order by the rules of a direct issuance. This
 * class only wires the parts: {@link Joining} and {@link PlaceGiver} give places, {@link LineDecider} and
 * {@link PlaceDecider} decide them, {@link LineViews} and {@link KnownPlaces} answer reads without the database,
 * {@link PlaceStreams} follows places for their holders.
 */
@Component
class WaitingLine implements SmartLifecycle, PlaceTaker, LineAtTheCouponLock {

    private final WaitingLineLedger lines;
    private final LineProperties properties;
    private final LineViews views;
    private final KnownPlaces known;
    private final PlaceGiver giver;
    private final Joining joining;
    private final LineDecider decider;
    private final ExecutorService joiners;
    private final ScheduledExecutorService deciderThread;
    private final ScheduledExecutorService streamThread;
    private final PlaceStreams streams;
    private volatile boolean running;

    WaitingLine(WaitingLineLedger lines, IssuanceLedger coupons, BatchLedger holdings,
                PlatformTransactionManager transactionManager, LineProperties properties, Clock clock) {
        this.lines = lines;
        this.properties = properties;
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        transactions.setTimeout((int) properties.transactionTimeout().toSeconds());
        this.views = new LineViews(properties.rateHalfLife().toNanos() / 1e9);
        this.known = new KnownPlaces(properties.maxKnownPlaces());
        this.deciderThread = Executors.newSingleThreadScheduledExecutor(named("line-decider", new AtomicInteger(-1)));
        this.streamThread = Executors.newSingleThreadScheduledExecutor(named("line-streams", new AtomicInteger(-1)));
        this.streams = new PlaceStreams(this::following, streamThread, properties);
        this.decider = new LineDecider(lines, new PlaceDecider(lines, coupons, holdings, transactions, clock,
                properties.maxBatch()), views, deciderThread, streams::decided);
        this.joiners = Executors.newFixedThreadPool(properties.joiners(), named("line-joiner-", new AtomicInteger()));
        this.giver = new PlaceGiver(lines, coupons, holdings, transactions, clock);
        this.joining = new Joining(giver, joiners,
                properties, given -> {
                    views.saw(given.line(), System.nanoTime());
                    decider.nudge();
                });
    }

    /**
     * The caller's place in the coupon's line: taken now (committed before this completes) or the one the caller
     * already holds.
     *
     * @throws ApiException (through the future) COUPON_NOT_FOUND, COUPON_ENDED, COUPON_SOLD_OUT,
     *                      PER_USER_LIMIT_REACHED for a caller without a place; SERVICE_OVERLOADED,
     *                      STORAGE_UNAVAILABLE (nothing to fear: asking again returns the same place)
     */
    CompletableFuture<PlaceView> join(long couponId, long userId) {
        return joining.join(couponId, userId).thenApply(joined -> present(known.remember(joined.place())));
    }

    @Override
    public CompletableFuture<LineDtos.PlaceResponse> take(long couponId, long userId) {
        return join(couponId, userId).thenApply(LineDtos.PlaceResponse::of);
    }

    @Override
    public State lock(long couponId) {
        return lines.lock(couponId).map(row -> row.waiting() > 0 ? State.PLACES_WAITING : State.NOTHING_WAITING)
                .orElse(State.NO_LINE);
    }

    @Override
    public Map<Long, Answer> placesHeld(long couponId, Collection<Long> userIds) {
        Map<Long, Answer> answers = new HashMap<>();
        for (Place place : lines.placesOf(couponId, userIds)) {
            answers.put(place.userId(), new Answer(LineDtos.PlaceResponse.of(new PlaceView(place.number(), null, null,
                    place.status(), place.reason(), place.userCouponId())), null));
        }
        return answers;
    }

    /**
     * Nothing is remembered here ({@link KnownPlaces}, {@link LineViews}): the caller's transaction may still roll
     * back. The decider reads the line again within its period.
     */
    @Override
    public Map<Long, Answer> placeAtTheEnd(long couponId, List<Long> userIds) {
        PlaceGiver.Given given = giver.giveUnderLock(couponId, userIds);
        if (given == null) {
            throw new IllegalStateException("the waiting line of coupon " + couponId + " is not locked");
        }
        LineViews.View view = views.of(couponId);
        double perSecond = view == null ? Double.NaN : view.perSecond();
        Map<Long, Answer> answers = new HashMap<>();
        given.refusals().forEach((user, refusal) -> answers.put(user, new Answer(null, refusal)));
        given.places().forEach((user, place) -> {
            PlaceView shown;
            if (place.decided()) {
                shown = new PlaceView(place.number(), null, null, place.status(), place.reason(), place.userCouponId());
            } else {
                long position = Math.max(1, place.number() - given.line().decidedThrough());
                Long estimate = perSecond > 0 ? (long) Math.ceil(position / perSecond) : null;
                shown = new PlaceView(place.number(), position, estimate, place.status(), null, null);
            }
            answers.put(user, new Answer(LineDtos.PlaceResponse.of(shown), null));
        });
        return answers;
    }

    /**
     * The caller's place, answered from memory while its line's decisions have not reached it; read once from the
     * database when they have.
     *
     * @throws ApiException PLACE_NOT_FOUND if the caller has no place in the coupon's line
     */
    PlaceView mine(long couponId, long userId) {
        KnownPlaces.Known place = known.get(couponId, userId);
        return place == null ? present(known.remember(read(couponId, userId))) : following(place);
    }

    /**
     * A stream of the caller's place ({@link PlaceStreams}): its position and wait every second, its outcome when
     * decided, then the end.
     *
     * @throws ApiException PLACE_NOT_FOUND if the caller has no place in the coupon's line; TOO_MANY_STREAMS,
     *                      SERVICE_OVERLOADED past the bounds of open streams
     */
    SseEmitter follow(long couponId, long userId) {
        KnownPlaces.Known place = known.get(couponId, userId);
        return streams.open(userId, place != null ? place : known.remember(read(couponId, userId)));
    }

    /** A known place as its holder sees it now; read again only once its line's decisions have reached it. */
    PlaceView following(KnownPlaces.Known known) {
        if (!known.place().decided()) {
            LineViews.View view = views.of(known.place().couponId());
            if (view == null || view.decidedThrough() >= known.place().number()) {
                known.update(read(known.place().couponId(), known.place().userId()));
            }
        }
        return present(known);
    }

    private Place read(long couponId, long userId) {
        return lines.placeOf(couponId, userId).orElseThrow(() -> new ApiException(ErrorCode.PLACE_NOT_FOUND));
    }

    private PlaceView present(KnownPlaces.Known known) {
        Place place = known.place();
        if (place.decided()) {
            return new PlaceView(place.number(), null, null, place.status(), place.reason(), place.userCouponId());
        }
        LineViews.View view = views.of(place.couponId());
        if (view == null) {
            view = lines.find(place.couponId()).map(row -> views.saw(row, System.nanoTime())).orElse(null);
        }
        long decidedThrough = view == null ? 0 : view.decidedThrough();
        long position = Math.max(1, place.number() - decidedThrough);
        double perSecond = view == null ? Double.NaN : view.perSecond();
        double estimate = known.estimate(perSecond > 0 ? position / perSecond : Double.NaN, System.nanoTime());
        return new PlaceView(place.number(), position, Double.isNaN(estimate) ? null : (long) Math.ceil(estimate),
                place.status(), null, null);
    }

    @Override
    public void start() {
        decider.start(properties.period().toNanos());
        streams.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        decider.stop();
        streams.stop();
    }

    /** Places asked for before the end are still given and answered, within the transaction timeout. */
    @PreDestroy
    void close() {
        deciderThread.shutdown();
        streamThread.shutdown();
        joiners.shutdown();
        try {
            joiners.awaitTermination(properties.transactionTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            deciderThread.awaitTermination(properties.transactionTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    int knownPlaces() {
        return known.size();
    }

    int openStreams() {
        return streams.open();
    }

    int openLines() {
        return views.size();
    }

    int joiningLanes() {
        return joining.lanes();
    }

    private static ThreadFactory named(String prefix, AtomicInteger counter) {
        return runnable -> {
            int n = counter.incrementAndGet();
            Thread thread = new Thread(runnable, n == 0 ? prefix : prefix + n);
            thread.setDaemon(true);
            return thread;
        };
    }
}
