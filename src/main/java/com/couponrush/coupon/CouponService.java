package com.couponrush.coupon;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class CouponService {

    private final CouponRepository coupons;
    private final Clock clock;

    public CouponService(CouponRepository coupons, Clock clock) {
        this.coupons = coupons;
        this.clock = clock;
    }

    @Transactional
    public Coupon create(CouponDtos.CreateCouponRequest request) {
        return coupons.save(new Coupon(request.name(), request.description(), request.discountAmount(),
                request.quantity(), request.perUserLimitOrDefault(), request.startDate(), request.endDate()));
    }

    @Transactional(readOnly = true)
    public List<CouponDtos.CouponResponse> list() {
        LocalDateTime now = LocalDateTime.now(clock);
        return coupons.findAllByOrderByIdDesc().stream().map(c -> CouponDtos.CouponResponse.of(c, now)).toList();
    }

    @Transactional(readOnly = true)
    public CouponDtos.CouponResponse get(long couponId) {
        return CouponDtos.CouponResponse.of(find(couponId), LocalDateTime.now(clock));
    }

    @Transactional(readOnly = true)
    public Coupon find(long couponId) {
        return coupons.findById(couponId).orElseThrow(() -> new ApiException(ErrorCode.COUPON_NOT_FOUND));
    }
}
