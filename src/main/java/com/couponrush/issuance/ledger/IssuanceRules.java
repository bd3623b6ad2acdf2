package com.couponrush.issuance.ledger;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import org.springframework.stereotype.Component;

/** The refusals every strategy must give in the same words, so that strategies differ only in how they serialise. */
@Component
public class IssuanceRules {

    private final Clock clock;

    IssuanceRules(Clock clock) {
        this.clock = clock;
    }

    public LocalDateTime now() {
        return LocalDateTime.now(clock);
    }

    /** The window, and the operator's pause. */
    public void checkWindow(CouponSnapshot coupon, LocalDateTime now) {
        ErrorCode closed = coupon.closedReason(now);
        if (closed != null) {
            throw new ApiException(closed);
        }
    }

    public void checkStock(CouponSnapshot coupon) {
        if (coupon.remaining() <= 0) {
            throw new ApiException(ErrorCode.COUPON_SOLD_OUT);
        }
    }

    public void checkUserLimit(CouponSnapshot coupon, int alreadyHeld) {
        if (coupon.limitsPerUser() && alreadyHeld >= coupon.perUserLimit()) {
            throw new ApiException(ErrorCode.PER_USER_LIMIT_REACHED);
        }
    }

    /** Why a conditional issue found nothing to take: the first rule the coupon breaks. */
    public ApiException refusalFor(CouponSnapshot coupon, LocalDateTime now) {
        try {
            checkWindow(coupon, now);
            checkStock(coupon);
        } catch (ApiException refusal) {
            return refusal;
        }
        return new ApiException(ErrorCode.COUPON_SOLD_OUT);
    }

    public static ApiException notFound() {
        return new ApiException(ErrorCode.COUPON_NOT_FOUND);
    }
}
