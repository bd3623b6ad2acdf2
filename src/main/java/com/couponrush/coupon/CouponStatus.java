package com.couponrush.coupon;

public enum CouponStatus {
    UPCOMING, OPEN, PAUSED, SOLD_OUT, ENDED
}
