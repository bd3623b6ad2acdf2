package com.couponrush.coupon;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

@Entity
@Table(name = "coupon")
public class Coupon {

    /** A per-user limit of 0 means a user may hold any number of this coupon. */
    public static final int UNLIMITED_PER_USER = 0;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(nullable = false)
    private int discountAmount;

    @Column(nullable = false)
    private int quantity;

    @Column(nullable = false)
    private int issuedCount;

    @Column(nullable = false)
    private int perUserLimit;

    @Column(nullable = false)
    private LocalDateTime startDate;

    @Column(nullable = false)
    private LocalDateTime endDate;

    @CreationTimestamp
    private LocalDateTime createdAt;

    @UpdateTimestamp
    private LocalDateTime modifiedAt;

    protected Coupon() {
    }

    public Coupon(String name, String description, int discountAmount, int quantity, int perUserLimit,
                  LocalDateTime startDate, LocalDateTime endDate) {
        this.name = name;
        this.description = description;
        this.discountAmount = discountAmount;
        this.quantity = quantity;
        this.perUserLimit = perUserLimit;
        this.startDate = startDate;
        this.endDate = endDate;
    }

    /**
     * The seed's original read-modify-write through the entity. Correct only if nobody else touches the
     * row between the read and the flush: under concurrency the increments are lost (the seed's anomaly).
     */
    public void issueOne() {
        if (remaining() <= 0) {
            throw new ApiException(ErrorCode.COUPON_SOLD_OUT);
        }
        issuedCount++;
    }

    public CouponStatus statusAt(LocalDateTime now) {
        if (now.isBefore(startDate)) {
            return CouponStatus.UPCOMING;
        }
        if (!now.isBefore(endDate)) {
            return CouponStatus.ENDED;
        }
        return remaining() > 0 ? CouponStatus.OPEN : CouponStatus.SOLD_OUT;
    }

    public int remaining() {
        return quantity - issuedCount;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public int getDiscountAmount() {
        return discountAmount;
    }

    public int getQuantity() {
        return quantity;
    }

    public int getIssuedCount() {
        return issuedCount;
    }

    public int getPerUserLimit() {
        return perUserLimit;
    }

    public LocalDateTime getStartDate() {
        return startDate;
    }

    public LocalDateTime getEndDate() {
        return endDate;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }
}
