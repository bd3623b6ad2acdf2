package com.couponrush.coupon;

import com.couponrush.web.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PageableDefault;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Coupons")
@RestController
@RequestMapping("/api/v1/coupons")
class CouponController {

    /** Large enough that the seed's clients, which read one list, still see every coupon of a real event. */
    static final int DEFAULT_PAGE_SIZE = 100;

    private final CouponService couponService;

    CouponController(CouponService couponService) {
        this.couponService = couponService;
    }

    @Operation(summary = "Create a coupon (ADMIN). perUserLimit: absent = 1, 0 = unlimited")
    @PostMapping
    ApiResponse<CouponDtos.CreateCouponResponse> create(@Valid @RequestBody CouponDtos.CreateCouponRequest request) {
        return ApiResponse.ok(new CouponDtos.CreateCouponResponse(couponService.create(request).getId()));
    }

    @Operation(summary = "Coupons, newest first, with issued and remaining counts; page, size, sort as in Spring Data")
    @GetMapping
    ApiResponse<List<CouponDtos.CouponResponse>> list(
            @PageableDefault(size = DEFAULT_PAGE_SIZE) @ParameterObject Pageable pageable) {
        return ApiResponse.page(couponService.page(pageable));
    }

    @Operation(summary = "One coupon")
    @GetMapping("/{couponId}")
    ApiResponse<CouponDtos.CouponResponse> get(@PathVariable long couponId) {
        return ApiResponse.ok(couponService.get(couponId));
    }
}
