package com.couponrush.issuance;

public record IssuedCoupon(long userCouponId) {
}
