package com.couponrush.coupon;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface CouponChangeRepository extends JpaRepository<CouponChange, Long> {

    record Row(CouponChange change, String changedByEmail) {
    }

    @Query("""
            SELECT new com.couponrush.coupon.CouponChangeRepository$Row(c, u.email)
            FROM CouponChange c JOIN User u ON u.id = c.changedBy
            WHERE c.couponId = :couponId
            ORDER BY c.id""")
    List<Row> findHistory(@Param("couponId") long couponId);
}
