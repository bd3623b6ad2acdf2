package com.couponrush.issuance.groupcommit;

import com.couponrush.issuance.InLine;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.line.LineDtos;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;

/**
 * A request answered by the coupon's waiting line: a waiting place is the answer {@link InLine}; a decided place
 * answers as a direct issuance would, with the coupon it got or why not.
 */
final class PlaceAnswers {

    /** Where an answer goes: to its caller at once, or into a batch's {@link Answers}, handed out later. */
    interface Recipient {
        void succeed(Waiter waiter, IssuedCoupon issued);

        void fail(Waiter waiter, RuntimeException refusal);
    }

    /** Answers the caller on the spot: a place taken outside a batch has nothing to wait for. */
    static final Recipient AT_ONCE = new Recipient() {
        @Override
        public void succeed(Waiter waiter, IssuedCoupon issued) {
            waiter.succeed(issued);
        }

        @Override
        public void fail(Waiter waiter, RuntimeException refusal) {
            waiter.fail(refusal);
        }
    };

    private PlaceAnswers() {
    }

    static void answer(Recipient recipient, Waiter waiter, long couponId, LineDtos.PlaceResponse place,
                       long retryAfterSeconds) {
        if (place.waiting()) {
            recipient.fail(waiter, new InLine(couponId, place, retryAfterSeconds));
        } else if (place.userCouponId() != null) {
            recipient.succeed(waiter, new IssuedCoupon(place.userCouponId()));
        } else {
            recipient.fail(waiter, new ApiException(place.reason() == null ? ErrorCode.INTERNAL_ERROR
                    : ErrorCode.valueOf(place.reason())));
        }
    }
}
