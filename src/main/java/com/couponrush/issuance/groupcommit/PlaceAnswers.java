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

    private PlaceAnswers() {
    }

    static void answer(Answers answers, Waiter waiter, long couponId, LineDtos.PlaceResponse place,
                       long retryAfterSeconds) {
        if (place.waiting()) {
            answers.fail(waiter, new InLine(couponId, place, retryAfterSeconds));
        } else if (place.userCouponId() != null) {
            answers.succeed(waiter, new IssuedCoupon(place.userCouponId()));
        } else {
            answers.fail(waiter, new ApiException(place.reason() == null ? ErrorCode.INTERNAL_ERROR
                    : ErrorCode.valueOf(place.reason())));
        }
    }
}
