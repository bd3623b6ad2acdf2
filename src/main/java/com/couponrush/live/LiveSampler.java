package com.couponrush.live;

import com.couponrush.coupon.CouponDtos.CouponResponse;
import com.couponrush.coupon.CouponService;
import com.couponrush.coupon.CouponStatus;
import tools.jackson.databind.json.JsonMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Once a second: reads the issuance outcome counts into per-coupon pulses, and, while anyone listens, reads the
 * coupons' counts from the database and pushes a snapshot to both streams. The meters are sampled even
 * with nobody listening, so a console opened in the middle of an event still shows the last minutes.
 */
@Component
class LiveSampler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveSampler.class);

    static final int WINDOW_SECONDS = 300;
    static final int STREAMED_COUPONS = 100;
    private static final Duration RUNNING_AFTER_LAST_ATTEMPT = Duration.ofSeconds(WINDOW_SECONDS);
    private static final int RATE_SECONDS_FOR_ESTIMATE = 10;

    private final IssuanceOutcomeCounts outcomeCounts;
    private final CouponService coupons;
    private final LiveStreams streams;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<Long, CouponPulse> pulses = new HashMap<>();
    private ScheduledExecutorService ticker;
    private boolean failing;

    LiveSampler(IssuanceOutcomeCounts outcomeCounts, CouponService coupons, LiveStreams streams, JsonMapper json,
                Clock clock) {
        this.outcomeCounts = outcomeCounts;
        this.coupons = coupons;
        this.streams = streams;
        this.json = json;
        this.clock = clock;
    }

    synchronized void tick() {
        Instant now = clock.instant();
        boolean attemptsThisSecond = false;
        for (var coupon : outcomeCounts.byCoupon().entrySet()) {
            CouponPulse pulse = pulses.computeIfAbsent(coupon.getKey(), id -> new CouponPulse(WINDOW_SECONDS));
            pulse.sample(now, coupon.getValue());
            attemptsThisSecond |= pulse.activeWithin(now, Duration.ofSeconds(2));
        }
        // The database is read only when a page listens or issuance runs, to notice the sell-out moment.
        if (!streams.hasListeners() && !attemptsThisSecond) {
            return;
        }
        List<CouponResponse> current = coupons.list();
        for (CouponResponse coupon : current) {
            CouponPulse pulse = pulses.get(coupon.couponId());
            if (pulse != null) {
                pulse.observeRemaining(now, coupon.remaining());
            }
        }
        if (streams.hasPublicListeners()) {
            streams.publishPublic(write(publicSnapshot(current)));
        }
        if (streams.hasConsoleListeners()) {
            streams.publishConsole(write(consoleSnapshot(current, now)));
        }
    }

    synchronized String publicSnapshotJson() {
        return write(publicSnapshot(coupons.list()));
    }

    synchronized String consoleSnapshotJson() {
        return write(consoleSnapshot(coupons.list(), clock.instant()));
    }

    private LiveDtos.PublicSnapshot publicSnapshot(List<CouponResponse> current) {
        LocalDateTime now = LocalDateTime.now(clock);
        List<LiveDtos.PublicCoupon> visible = current.stream()
                .filter(coupon -> coupon.status() != CouponStatus.ENDED)
                .limit(STREAMED_COUPONS)
                .map(coupon -> new LiveDtos.PublicCoupon(coupon.couponId(), coupon.quantity(), coupon.issuedCount(),
                        coupon.remaining(), coupon.status(), Duration.between(now, coupon.startDate()).toMillis(),
                        Duration.between(now, coupon.endDate()).toMillis()))
                .toList();
        return new LiveDtos.PublicSnapshot(clock.millis(), visible);
    }

    private LiveDtos.ConsoleSnapshot consoleSnapshot(List<CouponResponse> current, Instant now) {
        List<LiveDtos.ConsoleCoupon> all = current.stream()
                .limit(STREAMED_COUPONS)
                .map(coupon -> consoleCoupon(coupon, pulses.get(coupon.couponId()), now))
                .toList();
        return new LiveDtos.ConsoleSnapshot(clock.millis(), all);
    }

    private LiveDtos.ConsoleCoupon consoleCoupon(CouponResponse coupon, CouponPulse pulse, Instant now) {
        if (pulse == null) {
            return new LiveDtos.ConsoleCoupon(coupon.couponId(), coupon.name(), coupon.quantity(),
                    coupon.issuedCount(), coupon.remaining(), coupon.perUserLimit(), coupon.startDate(),
                    coupon.endDate(), coupon.status(), now.getEpochSecond(), List.of(), List.of(), 0, Map.of(),
                    null, null, null);
        }
        // Full series only for coupons still running: a hundred five-minute series a second would be waste.
        boolean running = coupon.status() == CouponStatus.OPEN || pulse.activeWithin(now, RUNNING_AFTER_LAST_ATTEMPT);
        double rate = pulse.recentRate(RATE_SECONDS_FOR_ESTIMATE);
        Duration soldOutIn = pulse.timeToSellOut();
        Long estimate = coupon.status() == CouponStatus.OPEN && rate > 0
                ? Math.round(coupon.remaining() / rate) : null;
        return new LiveDtos.ConsoleCoupon(coupon.couponId(), coupon.name(), coupon.quantity(),
                coupon.issuedCount(), coupon.remaining(), coupon.perUserLimit(), coupon.startDate(),
                coupon.endDate(), coupon.status(), pulse.lastSampleAt().getEpochSecond(),
                running ? pulse.issuedPerSecond() : List.of(), running ? pulse.rejectedPerSecond() : List.of(),
                pulse.issuedTotal(), pulse.rejectionsByReason(), rate,
                soldOutIn == null ? null : soldOutIn.toSeconds(), estimate);
    }

    private String write(Object snapshot) {
        return json.writeValueAsString(snapshot);
    }

    private void safeTick() {
        try {
            tick();
            if (failing) {
                log.info("Live updates resumed");
                failing = false;
            }
        } catch (RuntimeException e) {
            // An exception would cancel the periodic task for good; a database outage must only pause it.
            if (!failing) {
                log.warn("Live updates paused: {}", e.toString());
                failing = true;
            }
        }
    }

    @Override
    public synchronized void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "live-sampler");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::safeTick, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = ticker;
            ticker = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ticker != null;
    }
}
