package com.couponrush.loadtest.tally;

import java.util.Locale;

/**
 * What one request came back with, by the error body's machine-readable {@code reason}: the categories of
 * the k6-style summary. Only {@link #SUCCESS} counts as an issuance the client was promised.
 */
public enum Outcome {
    SUCCESS,
    COUPON_SOLD_OUT,
    PER_USER_LIMIT_REACHED,
    LOCK_NOT_ACQUIRED,
    SERVICE_OVERLOADED,
    OTHER,
    /** Timed out or the connection failed: the server may or may not have issued. */
    NO_RESPONSE;

    public static Outcome of(int status, String reason) {
        if (status == 200) {
            return SUCCESS;
        }
        if (reason != null && !reason.isBlank()) {
            try {
                Outcome known = valueOf(reason.trim().toUpperCase(Locale.ROOT));
                if (known != SUCCESS && known != OTHER && known != NO_RESPONSE) {
                    return known;
                }
            } catch (IllegalArgumentException unknownReason) {
                return OTHER;
            }
        }
        return OTHER;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
