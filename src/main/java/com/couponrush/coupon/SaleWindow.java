package com.couponrush.coupon;

import java.time.LocalDateTime;
import org.jspecify.annotations.Nullable;

/**
 * Whether a coupon can be had at a given moment, whatever its stock: the one place this rule is written.
 * {@link Coupon#statusAt} and every issuance strategy ask it; the conditional UPDATE of {@code atomic-update}
 * must repeat it in SQL, and says so where it does.
 */
public final class SaleWindow {

    private SaleWindow() {
    }

    /**
     * The window first, then the operator's pause.
     *
     * @return {@code UPCOMING} before the start, {@code ENDED} from the end on, {@code PAUSED} inside the window
     *         while paused; null while the coupon is open
     */
    public static @Nullable CouponStatus closedAt(LocalDateTime now, LocalDateTime start, LocalDateTime end,
                                                  boolean paused) {
        if (now.isBefore(start)) {
            return CouponStatus.UPCOMING;
        }
        if (!now.isBefore(end)) {
            return CouponStatus.ENDED;
        }
        return paused ? CouponStatus.PAUSED : null;
    }
}
