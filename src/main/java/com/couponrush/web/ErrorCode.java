package com.couponrush.web;

import org.springframework.http.HttpStatus;

/**
 * Every error the API can answer with. The name travels as {@code reason} in the error body so that
 * clients (and the load test) can tell sold-out from limit-reached without parsing messages; the
 * human message is looked up as {@code error.<NAME>} in the client's language.
 */
public enum ErrorCode {
    INVALID_INPUT(HttpStatus.BAD_REQUEST),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST),
    INVALID_SORT(HttpStatus.BAD_REQUEST),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
    INVALID_CREDENTIALS(HttpStatus.UNAUTHORIZED),
    ACCESS_DENIED(HttpStatus.FORBIDDEN),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),

    EMAIL_ALREADY_EXISTS(HttpStatus.CONFLICT),
    USER_NOT_FOUND(HttpStatus.NOT_FOUND),
    WRONG_PASSWORD(HttpStatus.BAD_REQUEST),
    SAME_PASSWORD(HttpStatus.BAD_REQUEST),
    CANNOT_CHANGE_OWN_ROLE(HttpStatus.FORBIDDEN),
    CANNOT_CHANGE_ADMIN_ROLE(HttpStatus.FORBIDDEN),

    COUPON_NOT_FOUND(HttpStatus.NOT_FOUND),
    COUPON_NOT_STARTED(HttpStatus.CONFLICT),
    COUPON_ENDED(HttpStatus.CONFLICT),
    COUPON_SOLD_OUT(HttpStatus.CONFLICT),
    PER_USER_LIMIT_REACHED(HttpStatus.CONFLICT),
    COUPON_PAUSED(HttpStatus.CONFLICT),
    COUPON_ALREADY_PAUSED(HttpStatus.CONFLICT),
    COUPON_NOT_PAUSED(HttpStatus.CONFLICT),
    COUPON_ALREADY_STARTED(HttpStatus.CONFLICT),
    COUPON_ALREADY_ENDED(HttpStatus.CONFLICT),
    QUANTITY_BELOW_ISSUED(HttpStatus.CONFLICT),
    COUPON_WINDOW_INVALID(HttpStatus.BAD_REQUEST),
    LOCK_NOT_ACQUIRED(HttpStatus.CONFLICT),
    USER_COUPON_NOT_FOUND(HttpStatus.NOT_FOUND),
    USER_COUPON_NOT_OWNED(HttpStatus.FORBIDDEN),
    USER_COUPON_ALREADY_USED(HttpStatus.CONFLICT),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT),
    ALREADY_IN_LINE(HttpStatus.TOO_MANY_REQUESTS),
    PLACE_NOT_FOUND(HttpStatus.NOT_FOUND),
    TOO_MANY_STREAMS(HttpStatus.TOO_MANY_REQUESTS),

    DATA_CONFLICT(HttpStatus.CONFLICT),

    TOO_MANY_SIGN_IN_ATTEMPTS(HttpStatus.TOO_MANY_REQUESTS),
    TOO_MANY_SIGN_UPS(HttpStatus.TOO_MANY_REQUESTS),

    SERVICE_OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE),
    STORAGE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
    COUPON_BUSY(HttpStatus.SERVICE_UNAVAILABLE),
    OUTCOME_UNKNOWN(HttpStatus.SERVICE_UNAVAILABLE),
    SHUTTING_DOWN(HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

    private final HttpStatus status;

    ErrorCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public String messageKey() {
        return "error." + name();
    }
}
