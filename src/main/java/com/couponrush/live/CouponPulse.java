package com.couponrush.live;

import com.couponrush.issuance.IssuanceMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What this instance has seen of one coupon's issuance, one sample per second over a sliding window. */
final class CouponPulse {

    private final int windowSeconds;
    private final ArrayDeque<Integer> issuedPerSample = new ArrayDeque<>();
    private final Deque<Integer> rejectedPerSample = new ArrayDeque<>();
    private Map<String, Long> previous = Map.of();
    private Instant lastSampleAt;
    private Instant firstIssuedAt;
    private Instant soldOutAt;
    private Instant lastActivityAt;

    CouponPulse(int windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    void sample(Instant at, Map<String, Long> cumulative) {
        int issued = 0;
        int rejected = 0;
        for (var outcome : cumulative.entrySet()) {
            int delta = (int) (outcome.getValue() - previous.getOrDefault(outcome.getKey(), 0L));
            if (IssuanceMetrics.ISSUED.equals(outcome.getKey())) {
                issued += delta;
            } else {
                rejected += delta;
            }
        }
        previous = Map.copyOf(cumulative);
        append(issuedPerSample, issued);
        append(rejectedPerSample, rejected);
        lastSampleAt = at;
        if (issued > 0 && firstIssuedAt == null) {
            firstIssuedAt = at;
        }
        if (issued + rejected > 0) {
            lastActivityAt = at;
        }
    }

    void observeRemaining(Instant at, int remaining) {
        if (remaining == 0 && soldOutAt == null && firstIssuedAt != null) {
            soldOutAt = at;
        }
    }

    boolean activeWithin(Instant now, Duration recent) {
        return lastActivityAt != null && lastActivityAt.isAfter(now.minus(recent));
    }

    Instant lastSampleAt() {
        return lastSampleAt;
    }

    List<Integer> issuedPerSecond() {
        return List.copyOf(issuedPerSample);
    }

    List<Integer> rejectedPerSecond() {
        return List.copyOf(rejectedPerSample);
    }

    long issuedTotal() {
        return previous.getOrDefault(IssuanceMetrics.ISSUED, 0L);
    }

    Map<String, Long> rejectionsByReason() {
        Map<String, Long> rejections = new HashMap<>(previous);
        rejections.remove(IssuanceMetrics.ISSUED);
        return rejections;
    }

    /** Average issuance rate over the last {@code seconds} samples, for the sell-out estimate. */
    double recentRate(int seconds) {
        int taken = 0;
        int sum = 0;
        var newestFirst = issuedPerSample.descendingIterator();
        while (newestFirst.hasNext() && taken < seconds) {
            sum += newestFirst.next();
            taken++;
        }
        return taken == 0 ? 0 : (double) sum / taken;
    }

    /** First issuance seen to the first sample that saw nothing left; null until both happened here. */
    Duration timeToSellOut() {
        return firstIssuedAt == null || soldOutAt == null ? null : Duration.between(firstIssuedAt, soldOutAt);
    }

    Instant firstIssuedAt() {
        return firstIssuedAt;
    }

    private void append(Deque<Integer> series, int value) {
        series.addLast(value);
        while (series.size() > windowSeconds) {
            series.removeFirst();
        }
    }
}
