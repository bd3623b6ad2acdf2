package com.couponrush.coupon;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Who got a coupon, read straight from the issuance rows (the issuance module writes them; this only reads).
 * Issue order is id order: a coupon's rows are inserted only under its row lock, batch after batch, so their
 * identity values ascend in the order they were decided.
 */
@Repository
class CouponIssuances {

    private static final String SELECT = "SELECT uc.id, uc.user_id, u.email, u.nickname, uc.created_at, uc.status"
            + " FROM user_coupon uc JOIN users u ON u.id = uc.user_id WHERE uc.coupon_id = ?";
    /** Sortable properties of {@link CouponDtos.IssuanceResponse} and their columns; nothing else reaches SQL. */
    private static final Map<String, String> SORTABLE = Map.of(
            "userCouponId", "uc.id", "issuedAt", "uc.created_at", "userId", "uc.user_id", "status", "uc.status");
    private static final int EXPORT_CHUNK = 1_000;

    private final JdbcTemplate jdbc;

    CouponIssuances(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Page<CouponDtos.IssuanceResponse> page(long couponId, Pageable pageable) {
        String orderBy = orderBy(pageable.getSort());
        List<CouponDtos.IssuanceResponse> rows = jdbc.query(SELECT + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?",
                CouponIssuances::row, couponId, pageable.getPageSize(), pageable.getOffset());
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ?", Long.class,
                couponId);
        return new PageImpl<>(rows, pageable, total == null ? 0 : total);
    }

    /** Every row in issue order, a chunk at a time, so an export of any size holds one chunk in memory. */
    void forEachInIssueOrder(long couponId, Consumer<CouponDtos.IssuanceResponse> action) {
        long after = 0;
        while (true) {
            List<CouponDtos.IssuanceResponse> chunk = jdbc.query(SELECT + " AND uc.id > ? ORDER BY uc.id LIMIT ?",
                    CouponIssuances::row, couponId, after, EXPORT_CHUNK);
            chunk.forEach(action);
            if (chunk.size() < EXPORT_CHUNK) {
                return;
            }
            after = chunk.get(chunk.size() - 1).userCouponId();
        }
    }

    private static String orderBy(Sort sort) {
        List<String> terms = new ArrayList<>();
        for (Sort.Order order : sort) {
            String column = SORTABLE.get(order.getProperty());
            if (column == null) {
                throw new ApiException(ErrorCode.INVALID_SORT, order.getProperty());
            }
            terms.add(column + (order.isAscending() ? " ASC" : " DESC"));
        }
        terms.add("uc.id ASC");
        return String.join(", ", terms);
    }

    private static CouponDtos.IssuanceResponse row(ResultSet rs, int row) throws SQLException {
        return new CouponDtos.IssuanceResponse(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toLocalDateTime(), rs.getString(6));
    }
}
