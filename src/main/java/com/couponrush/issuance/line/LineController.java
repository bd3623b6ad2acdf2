package com.couponrush.issuance.line;

import com.couponrush.user.AuthUser;
import com.couponrush.web.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A coupon's waiting line, for the signed-in caller: take a place, follow it. A place is the caller's own: it is
 * found by the token's user id, never by an id in the URL, so nobody can read or change another's.
 */
@Tag(name = "Waiting line")
@RestController
@RequestMapping("/api/v1/coupons/{couponId}/line")
class LineController {

    private final WaitingLine line;

    LineController(WaitingLine line) {
        this.line = line;
    }

    @Operation(summary = "Take a place in the coupon's waiting line (or get the one already taken)")
    @ApiResponses({
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "Waiting, place"
                + " committed: data.place, data.position, data.estimatedWaitSeconds; Location: the place"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The place is"
                + " decided: data.status ISSUED with data.userCouponId, or REFUSED with data.reason"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "409", description = "COUPON_ENDED,"
                + " COUPON_SOLD_OUT (no place could get a coupon), PER_USER_LIMIT_REACHED; no place was taken"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "503", description = "Retry-After."
                + " SERVICE_OVERLOADED, STORAGE_UNAVAILABLE: asking again returns the place if one was taken")
    })
    @PostMapping
    CompletableFuture<ResponseEntity<ApiResponse<LineDtos.PlaceResponse>>> join(
            @AuthenticationPrincipal AuthUser authUser, @PathVariable long couponId) {
        return line.join(couponId, authUser.id()).thenApply(place -> answer(couponId, place));
    }

    @Operation(summary = "The caller's place in the coupon's waiting line: position and wait, or the outcome")
    @ApiResponses({
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "data.status"
                + " WAITING (with position and estimatedWaitSeconds), ISSUED (userCouponId) or REFUSED (reason)"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "PLACE_NOT_FOUND")
    })
    @GetMapping("/me")
    ApiResponse<LineDtos.PlaceResponse> mine(@AuthenticationPrincipal AuthUser authUser,
                                             @PathVariable long couponId) {
        return ApiResponse.ok(LineDtos.PlaceResponse.of(line.mine(couponId, authUser.id())));
    }

    @Operation(summary = "Follow the caller's place: a `place` event (as GET /line/me) every second and as soon as"
            + " it is decided; the stream ends after the outcome. Read it with the bearer header (fetch), as the"
            + " console's stream")
    @ApiResponses({
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "text/event-stream"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "PLACE_NOT_FOUND"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "429", description = "TOO_MANY_STREAMS:"
                + " the caller already follows the most places allowed"),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "503", description = "Retry-After."
                + " SERVICE_OVERLOADED: this instance follows the most places it allows")
    })
    @GetMapping("/me/stream")
    SseEmitter follow(@AuthenticationPrincipal AuthUser authUser, @PathVariable long couponId) {
        return line.follow(couponId, authUser.id());
    }

    static ResponseEntity<ApiResponse<LineDtos.PlaceResponse>> answer(long couponId, PlaceView place) {
        LineDtos.PlaceResponse body = LineDtos.PlaceResponse.of(place);
        if (!place.waiting()) {
            return ResponseEntity.ok(ApiResponse.ok(body));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(LineDtos.placeLocation(couponId)))
                .body(ApiResponse.accepted(body));
    }
}
