package com.couponrush.holding;

public enum UserCouponStatus {
    ISSUED, USED
}
