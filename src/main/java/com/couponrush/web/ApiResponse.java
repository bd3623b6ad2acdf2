package com.couponrush.web;

import org.springframework.http.HttpStatus;

/** The seed's success envelope: {@code {code, status, message, data}}. */
public record ApiResponse<T>(int code, String status, String message, T data) {

    public static <T> ApiResponse<T> ok(T data) {
        return new ApiResponse<>(HttpStatus.OK.value(), HttpStatus.OK.name(), "OK", data);
    }

    public static ApiResponse<Void> ok() {
        return ok(null);
    }
}
