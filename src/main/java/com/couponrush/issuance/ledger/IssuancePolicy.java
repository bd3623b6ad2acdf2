package com.couponrush.issuance.ledger;

import com.couponrush.coupon.CouponStatus;
import com.couponrush.coupon.SaleWindow;
import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Every rule of issuing one coupon to one user, in the order they apply, for every strategy:
 * <ol>
 *   <li>a request whose idempotency key is already on record is answered with that record (the deciders ask
 *       {@link #replayOf} before anything else);</li>
 *   <li>the sale window: not started, ended, paused ({@link SaleWindow});</li>
 *   <li>the stock;</li>
 *   <li>the user's holdings against the per-user limit.</li>
 * </ol>
 * A request that breaks none is issued. The answers that may be repeated without reading the row again, and
 * what a user's second request learns from the first one's answer, follow from the same order and live here too,
 * so that a new refusal reason touches this class, {@link ErrorCode} and its documentation only.
 * {@link IssuanceLedger#tryTake} repeats the window and stock rules in SQL, as one atomic statement must.
 */
public final class IssuancePolicy {

    /** Refusals that hold for everyone asking for the coupon at that moment, whoever they are. */
    private static final Set<ErrorCode> FOR_EVERYONE = EnumSet.of(ErrorCode.COUPON_NOT_FOUND,
            ErrorCode.COUPON_NOT_STARTED, ErrorCode.COUPON_ENDED, ErrorCode.COUPON_PAUSED, ErrorCode.COUPON_SOLD_OUT);

    private IssuancePolicy() {
    }

    /**
     * Rule 1: a key names one request of a user, so a key on record answers for it: with its row when it was for
     * this coupon, refused when it was for another.
     *
     * @return null if the record is this coupon's (replay it), else the refusal
     */
    public static @Nullable ErrorCode replayOf(RecordedIssue recorded, long couponId) {
        return recorded.couponId() == couponId ? null : ErrorCode.IDEMPOTENCY_KEY_REUSED;
    }

    /**
     * Rules 2 to 4, in their order.
     *
     * @param remaining   the stock left as the caller counts it (a batch counts down its own winners)
     * @param alreadyHeld how many of this coupon the user holds; asked only when the coupon limits per user and
     *                    every earlier rule passed
     * @return the refusal, or null if the request may be issued
     */
    public static @Nullable ErrorCode refusal(CouponSnapshot coupon, LocalDateTime now, int remaining,
                                              IntSupplier alreadyHeld) {
        ErrorCode closed = closedReason(coupon, now);
        if (closed != null) {
            return closed;
        }
        if (remaining <= 0) {
            return ErrorCode.COUPON_SOLD_OUT;
        }
        if (coupon.limitsPerUser() && alreadyHeld.getAsInt() >= coupon.perUserLimit()) {
            return ErrorCode.PER_USER_LIMIT_REACHED;
        }
        return null;
    }

    /**
     * Taking a place in the coupon's waiting line: rules 2 to 4 as far as they are certain before the place is
     * decided. An ended window; no stock left for a place behind those already waiting (one place per person and
     * holders refused here, so every place ahead is issued unless the coupon closes); the user's holdings. A coupon
     * not yet started or paused still gives places: they wait ({@link #placesWait}).
     *
     * @param waiting places of this coupon given and not yet decided
     * @return the refusal, or null if the user may take a place
     */
    public static @Nullable ErrorCode joiningRefusal(CouponSnapshot coupon, LocalDateTime now, long waiting,
                                                     IntSupplier alreadyHeld) {
        if (SaleWindow.closedAt(now, coupon.startDate(), coupon.endDate(), false) == CouponStatus.ENDED) {
            return ErrorCode.COUPON_ENDED;
        }
        if (coupon.remaining() - waiting <= 0) {
            return ErrorCode.COUPON_SOLD_OUT;
        }
        if (coupon.limitsPerUser() && alreadyHeld.getAsInt() >= coupon.perUserLimit()) {
            return ErrorCode.PER_USER_LIMIT_REACHED;
        }
        return null;
    }

    /** Whether a waiting line's places must wait rather than be decided: the sale not started, or paused. */
    public static boolean placesWait(CouponSnapshot coupon, LocalDateTime now) {
        CouponStatus closed = SaleWindow.closedAt(now, coupon.startDate(), coupon.endDate(), coupon.paused());
        return closed == CouponStatus.UPCOMING || closed == CouponStatus.PAUSED;
    }

    /** Whether anyone may be issued this coupon at all: the window open and stock left. */
    public static boolean open(CouponSnapshot coupon, LocalDateTime now) {
        return coupon.remaining() > 0 && closedReason(coupon, now) == null;
    }

    /** Why a statement that checked window and stock itself took nothing: the window (or pause) if closed, else stock. */
    public static ErrorCode whyNothingWasTaken(CouponSnapshot coupon, LocalDateTime now) {
        ErrorCode closed = closedReason(coupon, now);
        return closed != null ? closed : ErrorCode.COUPON_SOLD_OUT;
    }

    /** Rule 4 alone, for a strategy whose statement already took the stock under rules 2 and 3. */
    public static @Nullable ErrorCode userLimitRefusal(CouponSnapshot coupon, int alreadyHeld) {
        return coupon.limitsPerUser() && alreadyHeld >= coupon.perUserLimit() ? ErrorCode.PER_USER_LIMIT_REACHED
                : null;
    }

    /**
     * What may be answered for this coupon without reading its row, from a row read earlier and the count issued
     * since: the window and the stock, in their order, but never the pause, which an operator may lift at any
     * moment; null when only the row can tell. Whoever repeats it must stop once an operator's change could
     * have reached the row (coupon.issuance.refresh).
     */
    public static @Nullable ErrorCode lastingRefusal(CouponSnapshot seen, int issuedSince, LocalDateTime now) {
        ErrorCode window = refusalFor(SaleWindow.closedAt(now, seen.startDate(), seen.endDate(), false));
        if (window != null) {
            return window;
        }
        return seen.remaining() - issuedSince <= 0 ? ErrorCode.COUPON_SOLD_OUT : null;
    }

    /**
     * A user's further request, decided from the answer to the same user's request that was ahead of it in the
     * same line, when that answer settles it: a refusal that holds for everyone, or the user's limit reached; and
     * an issue under a limit of one, which is rule 4 for the second. Null when it must be decided on its own.
     *
     * @param earlierRefusal the earlier request's refusal, or null if it was issued
     * @param perUserLimit   the coupon's limit as the earlier request's batch read it (0: none)
     */
    public static @Nullable ErrorCode followingAnswer(@Nullable ErrorCode earlierRefusal, int perUserLimit) {
        if (earlierRefusal == null) {
            return perUserLimit == 1 ? ErrorCode.PER_USER_LIMIT_REACHED : null;
        }
        return FOR_EVERYONE.contains(earlierRefusal) || earlierRefusal == ErrorCode.PER_USER_LIMIT_REACHED
                ? earlierRefusal : null;
    }

    private static @Nullable ErrorCode closedReason(CouponSnapshot coupon, LocalDateTime now) {
        return refusalFor(SaleWindow.closedAt(now, coupon.startDate(), coupon.endDate(), coupon.paused()));
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
