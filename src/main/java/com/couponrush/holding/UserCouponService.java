package com.couponrush.holding;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What a user does with coupons already issued: list them and use them. */
@Service
class UserCouponService {

    private final UserCouponRepository userCoupons;
    private final Clock clock;

    UserCouponService(UserCouponRepository userCoupons, Clock clock) {
        this.userCoupons = userCoupons;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    List<HeldCoupon> held(long userId) {
        return userCoupons.findHeldBy(userId);
    }

    @Transactional
    void use(long userId, long userCouponId) {
        if (userCoupons.markUsed(userCouponId, userId, LocalDateTime.now(clock)) == 1) {
            return;
        }
        UserCoupon coupon = userCoupons.findById(userCouponId)
                .orElseThrow(() -> new ApiException(ErrorCode.USER_COUPON_NOT_FOUND));
        if (coupon.getUserId() != userId) {
            throw new ApiException(ErrorCode.USER_COUPON_NOT_OWNED);
        }
        throw new ApiException(ErrorCode.USER_COUPON_ALREADY_USED);
    }
}
