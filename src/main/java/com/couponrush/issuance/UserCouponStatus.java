package com.couponrush.issuance;

public enum UserCouponStatus {
    ISSUED, USED
}
