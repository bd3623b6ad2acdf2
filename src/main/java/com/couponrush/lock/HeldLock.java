package com.couponrush.lock;

/** A lock this thread holds; releasing it is a no-op for anyone but its owner. */
interface HeldLock {

    void release();
}
