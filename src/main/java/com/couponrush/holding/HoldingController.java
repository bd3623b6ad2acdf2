package com.couponrush.holding;

import com.couponrush.user.AuthUser;
import com.couponrush.web.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's coupons under {@code /api/v1/user-coupon}, beside issuing ({@code POST}, the issuance module's). */
@Tag(name = "User coupons")
@RestController
@RequestMapping("/api/v1/user-coupon")
class HoldingController {

    private final UserCouponService userCouponService;

    HoldingController(UserCouponService userCouponService) {
        this.userCouponService = userCouponService;
    }

    @Operation(summary = "The caller's coupons")
    @GetMapping
    ApiResponse<List<HeldCoupon>> held(@AuthenticationPrincipal AuthUser authUser) {
        return ApiResponse.ok(userCouponService.held(authUser.id()));
    }

    @Operation(summary = "Use one of the caller's coupons (ISSUED -> USED)")
    @PostMapping("/{userCouponId}/use")
    ApiResponse<Void> use(@AuthenticationPrincipal AuthUser authUser, @PathVariable long userCouponId) {
        userCouponService.use(authUser.id(), userCouponId);
        return ApiResponse.ok();
    }
}
