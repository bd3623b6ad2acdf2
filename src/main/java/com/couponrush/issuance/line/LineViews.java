package com.couponrush.issuance.line;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this instance knows of each open line (places still waiting), so that a place's position and estimated
 * wait are answered without the database: the line's numbers as last seen, and its smoothed decision rate. The
 * decider refreshes every open line with one query per period; a line fully decided is dropped, so there is one
 * entry per coupon with an open line.
 */
final class LineViews {

    static final class View {
        private final DecisionRate rate;
        private volatile long nextPlace;
        private volatile long decidedThrough;
        private volatile double perSecond = Double.NaN;

        private View(DecisionRate rate, LineRow row) {
            this.rate = rate;
            this.nextPlace = row.nextPlace();
            this.decidedThrough = row.decidedThrough();
        }

        long decidedThrough() {
            return decidedThrough;
        }

        /** Places decided per second, smoothed; NaN while unknown. */
        double perSecond() {
            return perSecond;
        }

        /** The numbers only grow: an older reading never takes a newer one back. */
        private synchronized void saw(LineRow row) {
            nextPlace = Math.max(nextPlace, row.nextPlace());
            decidedThrough = Math.max(decidedThrough, row.decidedThrough());
        }

        private synchronized void sample(long nowNanos) {
            rate.observe(nowNanos, decidedThrough);
            perSecond = rate.perSecond();
        }
    }

    private final Map<Long, View> views = new ConcurrentHashMap<>();
    private final double rateHalfLifeSeconds;

    LineViews(double rateHalfLifeSeconds) {
        this.rateHalfLifeSeconds = rateHalfLifeSeconds;
    }

    View of(long couponId) {
        return views.get(couponId);
    }

    /** A reading of one line (a join's commit, a decision, a read): kept if the line is open. */
    View saw(LineRow row, long nowNanos) {
        View view = views.computeIfAbsent(row.couponId(),
                id -> new View(new DecisionRate(rateHalfLifeSeconds, nowNanos, row.decidedThrough()), row));
        view.saw(row);
        return view;
    }

    /** The decider's reading of every open line: each is sampled for its rate; lines no longer open are dropped. */
    void refresh(List<LineRow> open, long nowNanos) {
        Set<Long> stillOpen = new HashSet<>();
        for (LineRow row : open) {
            stillOpen.add(row.couponId());
            saw(row, nowNanos).sample(nowNanos);
        }
        views.keySet().retainAll(stillOpen);
    }

    int size() {
        return views.size();
    }
}
