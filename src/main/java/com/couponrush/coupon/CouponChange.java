package com.couponrush.coupon;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** One operator control applied to a coupon: who, when, what, and the value before and after. */
@Entity
@Table(name = "coupon_change")
class CouponChange {

    enum Action {
        PAUSE, RESUME, CLOSE, QUANTITY, WINDOW, DETAILS
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private long couponId;

    @Column(nullable = false)
    private long changedBy;

    @Column(nullable = false)
    private LocalDateTime changedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Action action;

    private String oldValue;

    private String newValue;

    protected CouponChange() {
    }

    CouponChange(long couponId, long changedBy, LocalDateTime changedAt, Action action, String oldValue,
                 String newValue) {
        this.couponId = couponId;
        this.changedBy = changedBy;
        this.changedAt = changedAt;
        this.action = action;
        this.oldValue = oldValue;
        this.newValue = newValue;
    }

    Long getId() {
        return id;
    }

    long getCouponId() {
        return couponId;
    }

    long getChangedBy() {
        return changedBy;
    }

    LocalDateTime getChangedAt() {
        return changedAt;
    }

    Action getAction() {
        return action;
    }

    String getOldValue() {
        return oldValue;
    }

    String getNewValue() {
        return newValue;
    }
}
