package com.couponrush.web;

/**
 * A refusal that says when to come back: answered with a {@code Retry-After} header (503 overload, 429 too many
 * sign-ins, for example); the seconds are also the message's argument {0}, for messages that name them.
 */
public class RetryableApiException extends ApiException {

    private final long retryAfterSeconds;

    public RetryableApiException(ErrorCode errorCode, long retryAfterSeconds) {
        super(errorCode, Long.toString(retryAfterSeconds));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
