package com.couponrush.issuance.ledger;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.function.IntSupplier;
import org.springframework.stereotype.Component;

/**
 * The refusals every strategy must give in the same words, so that strategies differ only in how they serialise;
 * the rules and their order are {@link CouponSnapshot#refusal}'s.
 */
@Component
public class IssuanceRules {

    private final Clock clock;

    IssuanceRules(Clock clock) {
        this.clock = clock;
    }

    public LocalDateTime now() {
        return LocalDateTime.now(clock);
    }

    /** Refuses with the first rule the request breaks: window, stock, the user's holdings. */
    public void check(CouponSnapshot coupon, LocalDateTime now, IntSupplier alreadyHeld) {
        ErrorCode refusal = coupon.refusal(now, coupon.remaining(), alreadyHeld);
        if (refusal != null) {
            throw new ApiException(refusal);
        }
    }

    /** After the stock was taken by a statement that checked window and stock itself: the user's holdings alone. */
    public void checkUserLimit(CouponSnapshot coupon, int alreadyHeld) {
        if (coupon.limitsPerUser() && alreadyHeld >= coupon.perUserLimit()) {
            throw new ApiException(ErrorCode.PER_USER_LIMIT_REACHED);
        }
    }

    /** Why a conditional take found nothing: the window (or pause) if closed, else the stock. */
    public ApiException refusalFor(CouponSnapshot coupon, LocalDateTime now) {
        ErrorCode closed = coupon.closedReason(now);
        return new ApiException(closed != null ? closed : ErrorCode.COUPON_SOLD_OUT);
    }

    public static ApiException notFound() {
        return new ApiException(ErrorCode.COUPON_NOT_FOUND);
    }
}
