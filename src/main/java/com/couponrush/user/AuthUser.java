package com.couponrush.user;

/** The signed-in caller, as read from the access token: no database look-up on the request path. */
public record AuthUser(long id, String email, Role role) {
}
