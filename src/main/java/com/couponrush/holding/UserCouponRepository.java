package com.couponrush.holding;

import java.time.LocalDateTime;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface UserCouponRepository extends JpaRepository<UserCoupon, Long> {

    @Query("""
            SELECT new com.couponrush.holding.HeldCoupon(
                uc.id, c.id, c.name, c.description, uc.status, c.discountAmount, c.startDate, c.endDate,
                uc.createdAt, uc.modifiedAt)
            FROM UserCoupon uc JOIN Coupon c ON c.id = uc.couponId
            WHERE uc.userId = :userId
            ORDER BY uc.id DESC""")
    List<HeldCoupon> findHeldBy(@Param("userId") long userId);

    /** Conditional, so that two concurrent "use" calls cannot both succeed. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("UPDATE UserCoupon uc SET uc.status = com.couponrush.holding.UserCouponStatus.USED, uc.modifiedAt = :now"
            + " WHERE uc.id = :id AND uc.userId = :userId"
            + " AND uc.status = com.couponrush.holding.UserCouponStatus.ISSUED")
    int markUsed(@Param("id") long id, @Param("userId") long userId, @Param("now") LocalDateTime now);
}
