package com.couponrush.user;

public enum Role {
    USER, ADMIN
}
