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

    @Column(nullable = false)
    private boolean paused;

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

    /** The {@link SaleWindow} (and pause) first, then stock: the order in which issuance refuses too. */
    public CouponStatus statusAt(LocalDateTime now) {
        CouponStatus closed = SaleWindow.closedAt(now, startDate, endDate, paused);
        if (closed != null) {
            return closed;
        }
        return remaining() > 0 ? CouponStatus.OPEN : CouponStatus.SOLD_OUT;
    }

    // Operator controls. Each checks that the change makes sense for the coupon as it is now; the caller holds
    // the row lock, so "now" cannot move under it (no batch commits between the check and the change).

    void pause(LocalDateTime now) {
        requireNotEnded(now);
        if (paused) {
            throw new ApiException(ErrorCode.COUPON_ALREADY_PAUSED);
        }
        paused = true;
    }

    void resume(LocalDateTime now) {
        requireNotEnded(now);
        if (!paused) {
            throw new ApiException(ErrorCode.COUPON_NOT_PAUSED);
        }
        paused = false;
    }

    /** The sale window ends at {@code now}. An upcoming coupon has no window to end yet: pause it instead. */
    void close(LocalDateTime now) {
        requireNotEnded(now);
        if (now.isBefore(startDate)) {
            throw new ApiException(ErrorCode.COUPON_NOT_STARTED);
        }
        endDate = now;
    }

    /** Stock may grow at any time before the end and shrink back only to what is already issued. */
    void changeQuantity(int newQuantity, LocalDateTime now) {
        requireNotEnded(now);
        if (newQuantity < issuedCount) {
            throw new ApiException(ErrorCode.QUANTITY_BELOW_ISSUED, issuedCount);
        }
        quantity = newQuantity;
    }

    /**
     * The window only moves later: a later start while nobody could get the coupon yet, a later end while it has
     * not ended. An earlier end is {@link #close}; an earlier start would open a sale nobody was told about.
     */
    void moveWindow(LocalDateTime newStart, LocalDateTime newEnd, LocalDateTime now) {
        requireNotEnded(now);
        if (!newStart.equals(startDate) && !now.isBefore(startDate)) {
            throw new ApiException(ErrorCode.COUPON_ALREADY_STARTED);
        }
        if (newStart.isBefore(startDate) || newEnd.isBefore(endDate) || !newEnd.isAfter(newStart)) {
            throw new ApiException(ErrorCode.COUPON_WINDOW_INVALID);
        }
        startDate = newStart;
        endDate = newEnd;
    }

    /** What users were shown may be corrected only before anyone could act on it. */
    void correct(String newName, String newDescription, int newDiscountAmount, LocalDateTime now) {
        if (!now.isBefore(startDate)) {
            throw new ApiException(ErrorCode.COUPON_ALREADY_STARTED);
        }
        name = newName;
        description = newDescription;
        discountAmount = newDiscountAmount;
    }

    private void requireNotEnded(LocalDateTime now) {
        if (!now.isBefore(endDate)) {
            throw new ApiException(ErrorCode.COUPON_ALREADY_ENDED);
        }
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

    public boolean isPaused() {
        return paused;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }
}
