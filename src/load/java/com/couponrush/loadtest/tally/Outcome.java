package com.couponrush.loadtest.tally;

import java.util.Locale;

/**
 * What one request came back with: the categories of the k6-style summary, by the error body's machine-readable
 * {@code reason}. Three kinds, so that a run's result reads at a glance:
 * <ul>
 *   <li>{@link #SUCCESS}: the issuance the client was promised (for ping and the bare app: an answer);</li>
 *   <li>expected refusals: the answers the coupon's rules call for, which a hot coupon is bound to give once it
 *       sells out or a user reaches the limit, and a place in the waiting line (202, not issued yet); the service
 *       did what it should;</li>
 *   <li>KO: everything that is wrong — 5xx (overload, storage, outcome unknown, shutting down), a lock given
 *       up on, timeouts, and any answer no rule explains, such as a known reason with another status.</li>
 * </ul>
 */
public enum Outcome {
    SUCCESS(200, true),
    /**
     * 202: a place in the coupon's waiting line, committed; its outcome comes later (an issuance endpoint whose
     * lane is full hands over to the line, and every join of the line while its places wait).
     */
    IN_LINE(202, true),
    COUPON_SOLD_OUT(409, true),
    PER_USER_LIMIT_REACHED(409, true),
    COUPON_NOT_STARTED(409, true),
    COUPON_ENDED(409, true),
    COUPON_PAUSED(409, true),
    /** The same account's earlier request for the coupon is still waiting: with more virtual users than accounts. */
    ALREADY_IN_LINE(429, true),
    IDEMPOTENCY_KEY_REUSED(422, true),
    /** The seed's lock strategies give up waiting for the lock although the coupon may have stock left. */
    LOCK_NOT_ACQUIRED(409, false),
    SERVICE_OVERLOADED(503, false),
    /** Any other answer; the summary keeps its status and reason. */
    OTHER(0, false),
    /** Timed out or the connection failed: the server may or may not have issued. */
    NO_RESPONSE(0, false);

    private final int status;
    private final boolean expected;

    Outcome(int status, boolean expected) {
        this.status = status;
        this.expected = expected;
    }

    public static Outcome of(int status, String reason) {
        if (status == SUCCESS.status) {
            return SUCCESS;
        }
        if (status == IN_LINE.status) {
            return IN_LINE;
        }
        if (reason == null || reason.isBlank()) {
            return OTHER;
        }
        try {
            Outcome named = valueOf(reason.trim().toUpperCase(Locale.ROOT));
            return named.status == status ? named : OTHER;
        } catch (IllegalArgumentException unknownReason) {
            return OTHER;
        }
    }

    /** Issued, or refused as the coupon's rules require: what a run that went well consists of. */
    public boolean expected() {
        return expected;
    }

    public boolean expectedRefusal() {
        return expected && this != SUCCESS;
    }

    /** Wrong: an error, a timeout or an unexplained answer (Gatling's KO). */
    public boolean ko() {
        return !expected;
    }
}
