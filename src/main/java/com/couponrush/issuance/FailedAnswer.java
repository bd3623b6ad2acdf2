package com.couponrush.issuance;

import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * A refusal (or failure) travelling through a future's stages. Every stage that relays a failure which is not a
 * {@link CompletionException} wraps it in a new one, recording the stack of the thread that relays it; a crowd
 * hearing "sold out" would pay that for every request at every stage. Carried in this wrapper from the start, the
 * failure is relayed as it is, and the cause keeps the stack that matters (a refusal has none, a bug its own).
 */
public final class FailedAnswer extends CompletionException {

    public FailedAnswer(Throwable cause) {
        super(null, cause);
    }

    /** The failure itself, whether or not a stage wrapped it. */
    public static @Nullable Throwable causeOf(@Nullable Throwable failure) {
        return failure instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause()
                : failure;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
