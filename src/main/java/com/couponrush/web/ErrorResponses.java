package com.couponrush.web;

import tools.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;

/** The one place that turns an {@link ErrorCode} into the error envelope, for MVC and for servlet filters alike. */
@Component
public class ErrorResponses {

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
        String message = messages.getMessage(code.messageKey(), args, code.name(), LocaleContextHolder.getLocale());
        return new ErrorResponse(code.status().name(), code.status().value(), code.name(), message,
                LocalDateTime.now(clock), fieldErrors);
    }

    public ResponseEntity<Object> entity(ErrorCode code, Object... args) {
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_JSON).body(body(code, args));
    }

    public String message(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }

    /** For errors raised in servlet filters, before MVC has resolved the client's locale. */
    public void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code) throws IOException {
        LocaleContextHolder.setLocale(localeResolver.resolveLocale(request));
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        jsonMapper.writeValue(response.getOutputStream(), body(code));
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
