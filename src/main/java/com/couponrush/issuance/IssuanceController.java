package com.couponrush.issuance;

import com.couponrush.issuance.line.LineDtos;
import com.couponrush.user.AuthUser;
import com.couponrush.web.ApiException;
import com.couponrush.web.ApiResponse;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.ErrorResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/user-coupon}: issuing; listing and using held coupons are {@code holding}'s. */
@Tag(name = "User coupons")
@RestController
@RequestMapping("/api/v1/user-coupon")
class IssuanceController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final IssuanceService issuanceService;
    private final ErrorResponses errors;

    IssuanceController(IssuanceService issuanceService, ErrorResponses errors) {
        this.issuanceService = issuanceService;
        this.errors = errors;
    }

    /**
     * Answered asynchronously (servlet async): the request thread is free while the request waits for its batch,
     * so on platform threads the engine's bounded queue, not Tomcat's thread pool, is what fills up under
     * overload, and the excess gets its 503 + Retry-After at once. The answer is written by a container thread.
     *
     * <p>Refusals and places in line are this endpoint's answers, not faults: they are written from here (in the
     * client's locale, taken now because a batch may answer on another thread) rather than thrown through Spring's
     * exception resolvers, which find and build an exception handler for every one, and a crowd on a sold-out
     * coupon hears little else. Anything else (a bug, the database) is still thrown to {@code GlobalExceptionHandler}.
     */
    @Operation(summary = "Issue one coupon to the caller, first come first served")
    @ApiResponses({
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200",
                description = "Issued and committed: data.userCouponId",
                content = @Content(schema = @Schema(implementation = IssuedAnswer.class))),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "Not decided at"
                + " once: the caller holds a committed place in the coupon's waiting line, decided in place order."
                + " The body of POST /api/v1/coupons/{id}/line; Location: the place; Retry-After. Asking again"
                + " returns the same place, then its outcome (200 with data.userCouponId, or the refusal)"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "409", description = "COUPON_NOT_STARTED,"
                + " COUPON_ENDED, COUPON_SOLD_OUT, PER_USER_LIMIT_REACHED, LOCK_NOT_ACQUIRED; nothing was written"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "422", description = "IDEMPOTENCY_KEY_REUSED:"
                + " the key was already used for another coupon; a new request needs a new key"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "429", description = "ALREADY_IN_LINE:"
                + " the caller already holds as many places in this coupon's line as allowed; Retry-After"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "503", description = "Retry-After."
                + " SERVICE_OVERLOADED: not decided, nothing was written. COUPON_BUSY: the coupon's row is held"
                + " elsewhere, nothing was written. STORAGE_UNAVAILABLE: the outcome may be"
                + " unknown (the coupon may have been issued); retry with the same Idempotency-Key to learn it")
    })
    @PostMapping
    CompletableFuture<ResponseEntity<?>> issue(
            @AuthenticationPrincipal AuthUser authUser,
            @Valid @RequestBody IssuanceDtos.IssueRequest request,
            @Parameter(description = "Retrying with the same key returns the first result instead of issuing twice")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
            @Size(min = 1, max = 100, message = "{validation.size}") String idempotencyKey) {
        Locale locale = LocaleContextHolder.getLocale();
        return issuanceService.issueAsync(new IssueCommand(request.couponId(), authUser.id(), idempotencyKey))
                .handle((issued, failure) -> failure == null
                        ? ResponseEntity.ok(ApiResponse.ok(new IssuanceDtos.IssueResponse(issued.userCouponId())))
                        : answerTo(failure, locale));
    }

    private ResponseEntity<?> answerTo(Throwable failure, Locale locale) {
        Throwable cause = FailedAnswer.causeOf(failure);
        if (cause instanceof InLine inLine) {
            return inLine(inLine);
        }
        if (cause instanceof ApiException refusal && refusal.errorCode() != ErrorCode.INTERNAL_ERROR) {
            return errors.entity(refusal, locale);
        }
        throw failure instanceof CompletionException relayed ? relayed : new FailedAnswer(failure);
    }

    /** The 200 body's shape for the API description, which cannot read it from {@code ResponseEntity<?>}. */
    private record IssuedAnswer(int code, String status, String message, IssuanceDtos.IssueResponse data) {
    }

    private static ResponseEntity<ApiResponse<LineDtos.PlaceResponse>> inLine(InLine inLine) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create(LineDtos.placeLocation(inLine.couponId())))
                .header(HttpHeaders.RETRY_AFTER, Long.toString(inLine.retryAfterSeconds()))
                .body(ApiResponse.accepted(inLine.place()));
    }
}
