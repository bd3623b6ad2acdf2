package com.couponrush.coupon;

import com.couponrush.user.AuthUser;
import com.couponrush.web.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operator's side of a coupon (ADMIN, see SecurityConfig): controls, their history, and who got it. */
@Tag(name = "Coupon controls")
@RestController
@RequestMapping("/api/v1/coupons/{couponId}")
class CouponControlsController {

    private final CouponControls controls;
    private final CouponService couponService;
    private final CouponIssuances issuances;

    CouponControlsController(CouponControls controls, CouponService couponService, CouponIssuances issuances) {
        this.controls = controls;
        this.couponService = couponService;
        this.issuances = issuances;
    }

    @Operation(summary = "Pause issuance (ADMIN): requests are refused with COUPON_PAUSED until resumed")
    @PostMapping("/pause")
    ApiResponse<CouponDtos.CouponResponse> pause(@AuthenticationPrincipal AuthUser admin, @PathVariable long couponId) {
        return ApiResponse.ok(controls.pause(couponId, admin.id()));
    }

    @Operation(summary = "Resume a paused coupon (ADMIN)")
    @PostMapping("/resume")
    ApiResponse<CouponDtos.CouponResponse> resume(@AuthenticationPrincipal AuthUser admin,
                                                  @PathVariable long couponId) {
        return ApiResponse.ok(controls.resume(couponId, admin.id()));
    }

    @Operation(summary = "Close now (ADMIN): the sale window ends at once")
    @PostMapping("/close")
    ApiResponse<CouponDtos.CouponResponse> close(@AuthenticationPrincipal AuthUser admin, @PathVariable long couponId) {
        return ApiResponse.ok(controls.close(couponId, admin.id()));
    }

    @Operation(summary = "Set the quantity (ADMIN): more stock at any time before the end, never below what is issued")
    @PutMapping("/quantity")
    ApiResponse<CouponDtos.CouponResponse> quantity(@AuthenticationPrincipal AuthUser admin,
                                                    @PathVariable long couponId,
                                                    @Valid @RequestBody CouponDtos.QuantityRequest request) {
        return ApiResponse.ok(controls.changeQuantity(couponId, admin.id(), request.quantity()));
    }

    @Operation(summary = "Move the window later (ADMIN): the start only before it, the end only before it")
    @PutMapping("/window")
    ApiResponse<CouponDtos.CouponResponse> window(@AuthenticationPrincipal AuthUser admin,
                                                  @PathVariable long couponId,
                                                  @Valid @RequestBody CouponDtos.WindowRequest request) {
        return ApiResponse.ok(controls.moveWindow(couponId, admin.id(), request.startDate(), request.endDate()));
    }

    @Operation(summary = "Correct name, description and discount before the start (ADMIN)")
    @PutMapping("/details")
    ApiResponse<CouponDtos.CouponResponse> details(@AuthenticationPrincipal AuthUser admin,
                                                   @PathVariable long couponId,
                                                   @Valid @RequestBody CouponDtos.DetailsRequest request) {
        return ApiResponse.ok(controls.correct(couponId, admin.id(), request));
    }

    @Operation(summary = "Every change to the coupon, oldest first: who, when, what, old and new value (ADMIN)")
    @GetMapping("/changes")
    ApiResponse<List<CouponDtos.ChangeResponse>> changes(@PathVariable long couponId) {
        return ApiResponse.ok(controls.history(couponId));
    }

    @Operation(summary = "Who got the coupon, in issue order unless sorted otherwise; page, size, sort (ADMIN)")
    @GetMapping("/issuances")
    ApiResponse<List<CouponDtos.IssuanceResponse>> issuances(
            @PathVariable long couponId,
            @PageableDefault(size = 50, sort = "userCouponId", direction = Sort.Direction.ASC)
            @ParameterObject Pageable pageable) {
        couponService.find(couponId);
        return ApiResponse.page(issuances.page(couponId, pageable));
    }

    @Operation(summary = "The same rows as CSV, all of them, in issue order (ADMIN)")
    @GetMapping("/issuances.csv")
    void issuancesCsv(@PathVariable long couponId, HttpServletResponse response) throws IOException {
        couponService.find(couponId);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"coupon-" + couponId + "-issuances.csv\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        out.write(IssuancesCsv.HEADER);
        try {
            // a client that hangs up ends the export at the next write instead of reading every row for nobody
            issuances.forEachInIssueOrder(couponId, row -> {
                try {
                    out.write(IssuancesCsv.line(row));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }
}
