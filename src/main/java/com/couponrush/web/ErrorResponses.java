package com.couponrush.web;

import tools.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;

/** The one place that turns an {@link ErrorCode} into the error envelope, for MVC and for servlet filters alike. */
@Component
public class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private final MessageSource messages;
    private final JsonMapper jsonMapper;
    private final Clock clock;
    private final LocaleResolver localeResolver;

    public ErrorResponses(MessageSource messages, JsonMapper jsonMapper, Clock clock,
                          LocaleResolver localeResolver) {
        this.localeResolver = localeResolver;
        this.messages = messages;
        this.jsonMapper = jsonMapper;
        this.clock = clock;
    }

    public ErrorResponse body(ErrorCode code, Object... args) {
        return body(code, List.of(), args);
    }

    public ErrorResponse body(ErrorCode code, List<ErrorResponse.FieldError> fieldErrors, Object... args) {
        return body(code, fieldErrors, LocaleContextHolder.getLocale(), args);
    }

    private ErrorResponse body(ErrorCode code, List<ErrorResponse.FieldError> fieldErrors, Locale locale,
                               Object... args) {
        String message = messages.getMessage(code.messageKey(), args, code.name(), locale);
        return new ErrorResponse(code.status().name(), code.status().value(), code.name(), message,
                LocalDateTime.now(clock), null, fieldErrors);
    }

    /**
     * A refusal as an MVC answer, its message in the given locale: the client's, which a caller answering on
     * another thread than the request's took from the request. A refusal that says when to come back carries
     * Retry-After. {@code INTERNAL_ERROR} is a bug, answered as {@link #unexpectedEntity} answers it.
     */
    public ResponseEntity<Object> entity(ApiException refusal, Locale locale) {
        ErrorCode code = refusal.errorCode();
        if (code == ErrorCode.INTERNAL_ERROR) {
            return unexpectedEntity(refusal);
        }
        HttpHeaders headers = HttpHeaders.EMPTY;
        if (refusal instanceof RetryableApiException retryable) {
            headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryable.retryAfterSeconds()));
        }
        return entity(code.status(), headers, body(code, List.of(), locale, refusal.messageArgs()));
    }

    /**
     * The answer to a bug: 500 {@code INTERNAL_ERROR} with a fresh error id, logged here with the failure, so that
     * the id a client reports leads to the stack trace. Only a 500 carries one: every other answer names its
     * reason, and a bug's details stay in the log.
     */
    public ErrorResponse unexpected(@Nullable Throwable failure) {
        String errorId = UUID.randomUUID().toString();
        if (failure != null) {
            log.error("Unexpected error, errorId {}", errorId, failure);
        } else {
            log.error("Unexpected error, errorId {}: a 500 without an exception", errorId);
        }
        ErrorCode code = ErrorCode.INTERNAL_ERROR;
        String message = messages.getMessage(code.messageKey(), null, code.name(), LocaleContextHolder.getLocale());
        return new ErrorResponse(code.status().name(), code.status().value(), code.name(), message,
                LocalDateTime.now(clock), errorId, List.of());
    }

    public ResponseEntity<Object> unexpectedEntity(@Nullable Throwable failure) {
        return entity(ErrorCode.INTERNAL_ERROR.status(), HttpHeaders.EMPTY, unexpected(failure));
    }

    /**
     * The envelope as an MVC answer, rendered to bytes here so that it carries its length: Spring flushes a
     * {@code ResponseEntity} as soon as its body is written, and a body of unknown length is then sent chunked, in
     * two writes instead of one. Refusals are most of what a crowd hears, so that second write would be paid by
     * nearly every request of a rush.
     */
    public ResponseEntity<Object> entity(HttpStatusCode status, HttpHeaders headers, ErrorResponse body) {
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON)
                .body(jsonMapper.writeValueAsBytes(body));
    }

    /**
     * The envelope for a status decided outside the application (the servlet container, /error): the status is
     * kept as it was, the reason and message are those of the closest {@link ErrorCode}. A 500 is a bug, answered
     * as {@link #unexpected} answers it.
     */
    public ErrorResponse body(HttpStatusCode status, @Nullable Throwable failure) {
        if (status.value() == HttpStatus.INTERNAL_SERVER_ERROR.value()) {
            return unexpected(failure);
        }
        ErrorCode code = forStatus(status);
        HttpStatus known = HttpStatus.resolve(status.value());
        String message = messages.getMessage(code.messageKey(), null, code.name(), LocaleContextHolder.getLocale());
        return new ErrorResponse(known != null ? known.name() : Integer.toString(status.value()), status.value(),
                code.name(), message, LocalDateTime.now(clock), null, List.of());
    }

    public ResponseEntity<Object> entity(ErrorCode code, Object... args) {
        return entity(code.status(), HttpHeaders.EMPTY, body(code, args));
    }

    public String message(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }

    /** For errors raised in servlet filters, before MVC has resolved the client's locale. */
    public void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code) throws IOException {
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(inClientLocale(request, () -> jsonMapper.writeValueAsBytes(body(code))));
    }

    /** The envelope as JSON text, for a status the servlet container set before any servlet saw the request. */
    public String json(HttpServletRequest request, HttpStatusCode status, @Nullable Throwable failure)
            throws IOException {
        return inClientLocale(request, () -> jsonMapper.writeValueAsString(body(status, failure)));
    }

    private interface Rendering<T> {
        T render() throws IOException;
    }

    private <T> T inClientLocale(HttpServletRequest request, Rendering<T> rendering) throws IOException {
        LocaleContext previous = LocaleContextHolder.getLocaleContext();
        LocaleContextHolder.setLocale(localeResolver.resolveLocale(request));
        try {
            return rendering.render();
        } finally {
            LocaleContextHolder.setLocaleContext(previous);
        }
    }

    public static ErrorCode forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ErrorCode.MALFORMED_REQUEST;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.ACCESS_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.SERVICE_OVERLOADED;
            default -> status.is4xxClientError() ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }
}
