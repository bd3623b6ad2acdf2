package com.couponrush.loadtest.bare;

import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * {@code POST /api/v1/user-coupon} as the load sends it, answered from the token and the body alone. Mapped by
 * {@link BareFrameworkApp}, not by a stereotype the service's component scan would find.
 */
class BareIssueController {

    record IssueRequest(Long couponId) {
    }

    /** The service's envelope ({@code code, status, message, data}) around what the request said. */
    record Answer(int code, String status, String message, Issued data) {
    }

    record Issued(long couponId, long userId) {
    }

    /** Refusals carry a {@code reason}, as the service's do: the load script counts answers by it. */
    record Refusal(int code, String status, String reason) {
    }

    private final BareTokenVerifier tokens;

    BareIssueController(BareTokenVerifier tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/api/v1/user-coupon")
    ResponseEntity<?> issue(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                            @RequestBody IssueRequest request) {
        Optional<Long> caller = tokens.callerId(authorization);
        if (caller.isEmpty()) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .body(new Refusal(401, HttpStatus.UNAUTHORIZED.name(), "UNAUTHENTICATED"));
        }
        if (request.couponId() == null || request.couponId() <= 0) {
            return ResponseEntity.badRequest().body(new Refusal(400, HttpStatus.BAD_REQUEST.name(), "INVALID_INPUT"));
        }
        return ResponseEntity.ok(new Answer(200, HttpStatus.OK.name(), "OK",
                new Issued(request.couponId(), caller.get())));
    }
}
