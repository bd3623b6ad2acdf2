package com.couponrush.coupon;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class CouponService {

    /** Response names a client may sort by, and the entity properties behind them. */
    private static final Map<String, String> SORTABLE = Map.of("couponId", "id", "name", "name",
            "startDate", "startDate", "endDate", "endDate", "quantity", "quantity", "issuedCount", "issuedCount");

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

    /** A page of coupons; sortable by the response's own names, newest first unless asked otherwise. */
    @Transactional(readOnly = true)
    public Page<CouponDtos.CouponResponse> page(Pageable pageable) {
        List<Sort.Order> orders = new ArrayList<>();
        for (Sort.Order order : pageable.getSort()) {
            String property = SORTABLE.get(order.getProperty());
            if (property == null) {
                throw new ApiException(ErrorCode.INVALID_SORT, order.getProperty());
            }
            orders.add(order.withProperty(property));
        }
        orders.add(Sort.Order.desc("id"));
        LocalDateTime now = LocalDateTime.now(clock);
        return coupons.findAll(PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by(orders)))
                .map(coupon -> CouponDtos.CouponResponse.of(coupon, now));
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
