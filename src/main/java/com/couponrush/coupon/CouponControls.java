package com.couponrush.coupon;

import com.couponrush.coupon.CouponChange.Action;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import tools.jackson.databind.json.JsonMapper;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operator's controls on a running coupon. Each one locks the coupon row (the lock every issuance batch
 * takes), lets {@link Coupon} check and apply the change, records it, and commits: a batch that locks the row
 * after that commit decides with the change, and none decides half before, half after. How the engine's
 * remembered answers catch up is in docs/engine.md ("Changes to a running coupon").
 */
@Service
public class CouponControls {

    private final CouponRepository coupons;
    private final CouponChangeRepository changes;
    private final JsonMapper json;
    private final Clock clock;

    CouponControls(CouponRepository coupons, CouponChangeRepository changes, JsonMapper json, Clock clock) {
        this.coupons = coupons;
        this.changes = changes;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public CouponDtos.CouponResponse pause(long couponId, long adminId) {
        return change(couponId, adminId, Action.PAUSE, Coupon::pause, CouponControls::pausedValue);
    }

    @Transactional
    public CouponDtos.CouponResponse resume(long couponId, long adminId) {
        return change(couponId, adminId, Action.RESUME, Coupon::resume, CouponControls::pausedValue);
    }

    @Transactional
    public CouponDtos.CouponResponse close(long couponId, long adminId) {
        return change(couponId, adminId, Action.CLOSE, Coupon::close, CouponControls::windowValue);
    }

    @Transactional
    public CouponDtos.CouponResponse changeQuantity(long couponId, long adminId, int quantity) {
        return change(couponId, adminId, Action.QUANTITY, (coupon, now) -> coupon.changeQuantity(quantity, now),
                coupon -> Map.of("quantity", coupon.getQuantity()));
    }

    @Transactional
    public CouponDtos.CouponResponse moveWindow(long couponId, long adminId, LocalDateTime start, LocalDateTime end) {
        return change(couponId, adminId, Action.WINDOW,
                (coupon, now) -> coupon.moveWindow(toStoredPrecision(start), toStoredPrecision(end), now),
                CouponControls::windowValue);
    }

    @Transactional
    public CouponDtos.CouponResponse correct(long couponId, long adminId, CouponDtos.DetailsRequest details) {
        return change(couponId, adminId, Action.DETAILS,
                (coupon, now) -> coupon.correct(details.name(), details.description(), details.discountAmount(), now),
                CouponControls::detailsValue);
    }

    @Transactional(readOnly = true)
    public List<CouponDtos.ChangeResponse> history(long couponId) {
        if (!coupons.existsById(couponId)) {
            throw new ApiException(ErrorCode.COUPON_NOT_FOUND);
        }
        return changes.findHistory(couponId).stream().map(row -> new CouponDtos.ChangeResponse(
                row.change().getId(), row.change().getChangedBy(), row.changedByEmail(), row.change().getChangedAt(),
                row.change().getAction().name(), row.change().getOldValue(), row.change().getNewValue())).toList();
    }

    private CouponDtos.CouponResponse change(long couponId, long adminId, Action action,
                                             BiConsumer<Coupon, LocalDateTime> apply,
                                             Function<Coupon, Map<String, ?>> recorded) {
        Coupon coupon = coupons.findByIdForUpdate(couponId)
                .orElseThrow(() -> new ApiException(ErrorCode.COUPON_NOT_FOUND));
        // read after the lock: every batch that committed before us decided at an earlier time, every later one
        // at a later time, so "nothing issued after the close" can be checked against issued_at alone
        LocalDateTime now = toStoredPrecision(LocalDateTime.now(clock));
        String before = write(recorded.apply(coupon));
        apply.accept(coupon, now);
        changes.save(new CouponChange(couponId, adminId, now, action, before, write(recorded.apply(coupon))));
        return CouponDtos.CouponResponse.of(coupon, now);
    }

    private static Map<String, ?> pausedValue(Coupon coupon) {
        return Map.of("paused", coupon.isPaused());
    }

    private static Map<String, ?> windowValue(Coupon coupon) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("startDate", coupon.getStartDate());
        value.put("endDate", coupon.getEndDate());
        return value;
    }

    private static Map<String, ?> detailsValue(Coupon coupon) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", coupon.getName());
        value.put("description", coupon.getDescription());
        value.put("discountAmount", coupon.getDiscountAmount());
        return value;
    }

    private String write(Map<String, ?> value) {
        return json.writeValueAsString(value);
    }

    /** The columns keep microseconds: what is compared and recorded must be what the database will hold. */
    private static LocalDateTime toStoredPrecision(LocalDateTime time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }
}
