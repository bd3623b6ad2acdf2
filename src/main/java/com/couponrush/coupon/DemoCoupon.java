package com.couponrush.coupon;

import java.time.Clock;
import java.time.LocalDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** With the {@code demo} profile, an open coupon exists from the first start so the service can be tried at once. */
@Component
@Profile("demo")
class DemoCoupon implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoCoupon.class);

    private final CouponRepository coupons;
    private final Clock clock;
    private final int quantity;

    DemoCoupon(CouponRepository coupons, Clock clock, @Value("${app.demo.coupon-quantity:100}") int quantity) {
        this.coupons = coupons;
        this.clock = clock;
        this.quantity = quantity;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (coupons.count() > 0) {
            return;
        }
        LocalDateTime now = LocalDateTime.now(clock);
        Coupon coupon = coupons.save(new Coupon("오픈 기념 선착순 쿠폰", "Coupon Rush demo coupon", 5000, quantity, 1,
                now.minusMinutes(1), now.plusDays(30)));
        log.info("Demo coupon {} created with quantity {}", coupon.getId(), quantity);
    }
}
