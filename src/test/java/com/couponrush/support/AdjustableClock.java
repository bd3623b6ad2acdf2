package com.couponrush.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/** The system clock plus an offset a test moves forward, so that waiting out a window takes no real time. */
public final class AdjustableClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final ZoneId zone;

    public AdjustableClock() {
        this(ZoneId.systemDefault());
    }

    private AdjustableClock(ZoneId zone) {
        this.zone = zone;
    }

    public void advance(Duration duration) {
        offset.updateAndGet(current -> current.plus(duration));
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        AdjustableClock other = new AdjustableClock(newZone);
        other.offset.set(offset.get());
        return other;
    }
}
