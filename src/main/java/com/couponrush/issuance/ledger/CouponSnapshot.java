package com.couponrush.issuance.ledger;

import com.couponrush.coupon.CouponStatus;
import com.couponrush.coupon.SaleWindow;
import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/** The columns of a coupon row that decide an issuance, as read inside the deciding transaction. */
public record CouponSnapshot(long id, int quantity, int issuedCount, int perUserLimit, LocalDateTime startDate,
                             LocalDateTime endDate, boolean paused) {

    /**
     * The rules in their one order, for every strategy: the {@link SaleWindow} and the pause, then the stock, then
     * the user's holdings.
     *
     * @param remaining   the stock left as the caller counts it (a batch counts down its own winners)
     * @param alreadyHeld how many of this coupon the user holds; asked only when the coupon limits per user and
     *                    every earlier rule passed
     * @return the refusal, or null if the request may be issued
     */
    public @Nullable ErrorCode refusal(LocalDateTime now, int remaining, IntSupplier alreadyHeld) {
        ErrorCode closed = closedReason(now);
        if (closed != null) {
            return closed;
        }
        if (remaining <= 0) {
            return ErrorCode.COUPON_SOLD_OUT;
        }
        if (limitsPerUser() && alreadyHeld.getAsInt() >= perUserLimit) {
            return ErrorCode.PER_USER_LIMIT_REACHED;
        }
        return null;
    }

    /** Why nobody can get this coupon now, whatever the stock; null while it is open. */
    public @Nullable ErrorCode closedReason(LocalDateTime now) {
        return refusalFor(SaleWindow.closedAt(now, startDate, endDate, paused));
    }

    /**
     * The window alone, without the pause: what stays true until an operator moves the window, while a pause may
     * be lifted at any moment.
     */
    public @Nullable ErrorCode outsideWindow(LocalDateTime now) {
        return refusalFor(SaleWindow.closedAt(now, startDate, endDate, false));
    }

    public int remaining() {
        return quantity - issuedCount;
    }

    public boolean limitsPerUser() {
        return perUserLimit > 0;
    }

    private static @Nullable ErrorCode refusalFor(@Nullable CouponStatus closed) {
        if (closed == null) {
            return null;
        }
        return switch (closed) {
            case UPCOMING -> ErrorCode.COUPON_NOT_STARTED;
            case ENDED -> ErrorCode.COUPON_ENDED;
            case PAUSED -> ErrorCode.COUPON_PAUSED;
            case OPEN, SOLD_OUT -> throw new IllegalArgumentException("not a closed window: " + closed);
        };
    }
}
