package com.couponrush.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The seed's error envelope {@code {status, code, message, timestamp}}, plus a stable machine-readable
 * {@code reason}, for a 500 the {@code errorId} it was logged under, and, for invalid input, the offending fields.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorResponse(String status, int code, String reason, String message, LocalDateTime timestamp,
                            @Nullable String errorId, List<FieldError> fieldErrors) {

    public record FieldError(String field, String message) {
    }
}
