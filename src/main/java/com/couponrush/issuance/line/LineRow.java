package com.couponrush.issuance.line;

/** A coupon's waiting_line row: places 1 .. nextPlace - 1 are given, 1 .. decidedThrough decided. */
record LineRow(long couponId, long nextPlace, long decidedThrough) {

    long waiting() {
        return nextPlace - 1 - decidedThrough;
    }

    long lastPlace() {
        return nextPlace - 1;
    }
}
