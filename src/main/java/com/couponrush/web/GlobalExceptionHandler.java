package com.couponrush.web;

import jakarta.validation.ConstraintViolationException;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.validation.Errors;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Maps every failure that reaches MVC to the one error envelope. Client mistakes become 4xx that name
 * what was wrong; an unreachable database or Redis becomes a 503 with Retry-After, so that callers back
 * off instead of hammering; only a genuine bug is a 500.
 */
@RestControllerAdvice
public class GlobalExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GlobalExceptionHandler.class);
    static final String STORAGE_RETRY_AFTER_SECONDS = "1";

    private final ErrorResponses errors;

    public GlobalExceptionHandler(ErrorResponses errors) {
        this.errors = errors;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException e) {
        return errors.entity(e, LocaleContextHolder.getLocale());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException e) {
        List<ErrorResponse.FieldError> fields = e.getConstraintViolations().stream()
                .map(v -> new ErrorResponse.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return invalid(fields);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> handleAccessDenied(AccessDeniedException e) {
        return errors.entity(ErrorCode.ACCESS_DENIED);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleIntegrity(DataIntegrityViolationException e) {
        log.warn("Request refused by a database constraint: {}", e.getMostSpecificCause().getMessage());
        return errors.entity(ErrorCode.DATA_CONFLICT);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            QueryTimeoutException.class, TransientDataAccessException.class, TransactionTimedOutException.class})
    ResponseEntity<Object> handleStorageUnavailable(Exception e) {
        log.warn("Storage unavailable: {}", e.getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, STORAGE_RETRY_AFTER_SECONDS);
        return errors.entity(ErrorCode.STORAGE_UNAVAILABLE.status(), headers,
                errors.body(ErrorCode.STORAGE_UNAVAILABLE));
    }

    /** A bug: 500 with an error id, logged with the exception under the same id. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception e) {
        return errors.unexpectedEntity(e);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(fieldErrors(e.getBindingResult()));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // a @Valid body is validated together with constrained headers and parameters: name its fields
        List<ErrorResponse.FieldError> fields = e.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body
                        ? fieldErrors(body).stream()
                        : result.getResolvableErrors().stream().map(error -> new ErrorResponse.FieldError(
                                result.getMethodParameter().getParameterName(), error.getDefaultMessage())))
                .toList();
        return invalid(fields);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = e.getPropertyName() != null ? e.getPropertyName() : "value";
        return invalid(List.of(new ErrorResponse.FieldError(field, errors.message("validation.type-mismatch"))));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return invalid(List.of(new ErrorResponse.FieldError(field, errors.message("validation.type-mismatch"))));
        }
        if (e.getCause() != null) {
            log.debug("Unreadable request body: {}", e.getMessage());
        }
        return errors.entity(ErrorCode.MALFORMED_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (status.value() == ErrorCode.INTERNAL_ERROR.status().value()) {
            return errors.entity(status, headers, errors.unexpected(e));
        }
        return errors.entity(status, headers, errors.body(ErrorResponses.forStatus(status)));
    }

    private ResponseEntity<Object> invalid(List<ErrorResponse.FieldError> fields) {
        return errors.entity(ErrorCode.INVALID_INPUT.status(), HttpHeaders.EMPTY,
                errors.body(ErrorCode.INVALID_INPUT, fields));
    }

    private static List<ErrorResponse.FieldError> fieldErrors(Errors result) {
        var fields = result.getFieldErrors().stream()
                .map(error -> new ErrorResponse.FieldError(error.getField(), error.getDefaultMessage()));
        var objects = result.getGlobalErrors().stream()
                .map(error -> new ErrorResponse.FieldError(error.getObjectName(), error.getDefaultMessage()));
        return java.util.stream.Stream.concat(fields, objects)
                .sorted(java.util.Comparator.comparing(ErrorResponse.FieldError::field))
                .toList();
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
