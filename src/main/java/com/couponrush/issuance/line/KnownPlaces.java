package com.couponrush.issuance.line;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The places this instance has given or been asked about, and the estimate each was last shown, so that following
 * a place costs no query: a waiting place is read again only once its line's decisions have passed it. At most
 * {@code max} are kept (only places that exist: a client cannot add any without one); past it, a read costs a query.
 */
final class KnownPlaces {

    private record Key(long couponId, long userId) {
    }

    /** One place and the estimate it was last shown. */
    static final class Known {
        private volatile Place place;
        private double shownSeconds = Double.NaN;
        private long shownAtNanos;

        private Known(Place place) {
            this.place = place;
        }

        Place place() {
            return place;
        }

        /** A place once decided stays decided, whichever reading arrives last. */
        synchronized void update(Place fresher) {
            if (!place.decided() || fresher.decided()) {
                place = fresher;
            }
        }

        /** The estimate to show now ({@link WaitEstimate}); NaN when the rate is unknown. */
        synchronized double estimate(double measuredSeconds, long nowNanos) {
            if (Double.isNaN(measuredSeconds)) {
                shownSeconds = Double.NaN;
                return Double.NaN;
            }
            shownSeconds = WaitEstimate.next(shownSeconds, (nowNanos - shownAtNanos) / 1e9, measuredSeconds);
            shownAtNanos = nowNanos;
            return shownSeconds;
        }
    }

    private final Map<Key, Known> places = new ConcurrentHashMap<>();
    private final int max;

    KnownPlaces(int max) {
        this.max = max;
    }

    Known get(long couponId, long userId) {
        return places.get(new Key(couponId, userId));
    }

    /** Keeps the place (or updates the one kept); past the bound, returns it without keeping it. */
    Known remember(Place place) {
        Key key = new Key(place.couponId(), place.userId());
        Known known = places.get(key);
        if (known != null) {
            known.update(place);
            return known;
        }
        if (places.size() >= max) {
            return new Known(place);
        }
        known = places.putIfAbsent(key, new Known(place));
        return known == null ? places.get(key) : update(known, place);
    }

    private static Known update(Known known, Place place) {
        known.update(place);
        return known;
    }

    int size() {
        return places.size();
    }
}
