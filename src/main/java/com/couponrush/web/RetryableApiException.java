package com.couponrush.web;

/** A refusal that says when to come back: answered with a {@code Retry-After} header (503 overload, for one). */
public class RetryableApiException extends ApiException {

    private final long retryAfterSeconds;

    public RetryableApiException(ErrorCode errorCode, long retryAfterSeconds) {
        super(errorCode);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
