package com.couponrush.coupon;

public enum CouponStatus {
    UPCOMING, OPEN, SOLD_OUT, ENDED
}
