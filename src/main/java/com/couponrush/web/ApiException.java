package com.couponrush.web;

/**
 * A refusal the client should see as it is: the code decides status, reason and message.
 * Stack traces are not filled in because these are expected outcomes (sold out, limit reached)
 * that happen thousands of times a second under load.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode errorCode;
    private final transient Object[] messageArgs;

    public ApiException(ErrorCode errorCode, Object... messageArgs) {
        super(errorCode.name(), null, false, false);
        this.errorCode = errorCode;
        this.messageArgs = messageArgs;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public Object[] messageArgs() {
        return messageArgs;
    }
}
