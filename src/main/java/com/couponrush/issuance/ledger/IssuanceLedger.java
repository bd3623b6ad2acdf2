package com.couponrush.issuance.ledger;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The SQL every strategy is built from, portable across H2, PostgreSQL and MariaDB/MySQL. Plain JDBC
 * on purpose: the statements are the point of the experiment, so they are written out, not generated.
 * Callers are expected to run inside a READ COMMITTED transaction (the pool's default isolation).
 */
@Repository
public class IssuanceLedger {

    private static final String SNAPSHOT_COLUMNS =
            "id, quantity, issued_count, per_user_limit, start_date, end_date, paused";
    private static final String COUPON_COLUMNS = "SELECT " + SNAPSHOT_COLUMNS + " FROM coupon WHERE id = ?";

    private static final RowMapper<CouponSnapshot> SNAPSHOT = (rs, row) -> new CouponSnapshot(
            rs.getLong("id"), rs.getInt("quantity"), rs.getInt("issued_count"), rs.getInt("per_user_limit"),
            rs.getTimestamp("start_date").toLocalDateTime(), rs.getTimestamp("end_date").toLocalDateTime(),
            rs.getBoolean("paused"));

    private final JdbcTemplate jdbc;

    IssuanceLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CouponSnapshot> find(long couponId) {
        return first(jdbc.query(COUPON_COLUMNS, SNAPSHOT, couponId));
    }

    /** Takes the coupon row lock until the transaction ends; every other locker of this coupon waits. */
    public Optional<CouponSnapshot> findForUpdate(long couponId) {
        return first(jdbc.query(COUPON_COLUMNS + " FOR UPDATE", SNAPSHOT, couponId));
    }

    /**
     * The coupon row as a batch locks it, with whether the coupon has a waiting line: the line is opened under this
     * lock, so a batch that holds it and reads false has no line to respect.
     */
    public record LockedCoupon(CouponSnapshot coupon, boolean lineOpened) {
    }

    /** {@link #findForUpdate} with the line flag, in the same statement. */
    public Optional<LockedCoupon> lockForBatch(long couponId) {
        return first(jdbc.query("SELECT " + SNAPSHOT_COLUMNS + ", line_opened FROM coupon WHERE id = ? FOR UPDATE",
                (rs, row) -> new LockedCoupon(SNAPSHOT.mapRow(rs, row), rs.getBoolean("line_opened")), couponId));
    }

    /**
     * The seed's fix: one conditional UPDATE decides, so no read-modify-write can lose an increment.
     * It also takes the row lock, which serialises everything after it in the same transaction. The conditions
     * repeat the window rule of {@link com.couponrush.coupon.SaleWindow#closedAt} (start, end, pause) and the
     * stock rule of {@link IssuancePolicy#refusal}, as one atomic statement must; change them together.
     */
    public boolean tryTake(long couponId, int count, LocalDateTime now) {
        return jdbc.update("UPDATE coupon SET issued_count = issued_count + ? WHERE id = ?"
                        + " AND issued_count + ? <= quantity AND start_date <= ? AND end_date > ? AND paused = FALSE",
                count, couponId, count, Timestamp.valueOf(now), Timestamp.valueOf(now)) == 1;
    }

    public void addIssued(long couponId, int count) {
        jdbc.update("UPDATE coupon SET issued_count = issued_count + ? WHERE id = ?", count, couponId);
    }

    public int countHeld(long userId, long couponId) {
        Integer held = jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ? AND user_id = ?",
                Integer.class, couponId, userId);
        return held == null ? 0 : held;
    }

    public long insert(long couponId, long userId, String idempotencyKey, LocalDateTime now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO user_coupon (user_id, coupon_id, status, idempotency_key, created_at, modified_at)"
                            + " VALUES (?, ?, 'ISSUED', ?, ?, ?)", new String[] {"id"});
            statement.setLong(1, userId);
            statement.setLong(2, couponId);
            statement.setString(3, idempotencyKey);
            statement.setTimestamp(4, Timestamp.valueOf(now));
            statement.setTimestamp(5, Timestamp.valueOf(now));
            return statement;
        }, keys);
        return keys.getKeyAs(Number.class).longValue();
    }

    /** The row a key names, of whichever coupon: a key is unique per user across coupons. */
    public Optional<RecordedIssue> findByIdempotencyKey(long userId, String idempotencyKey) {
        return first(jdbc.query("SELECT id, coupon_id FROM user_coupon WHERE user_id = ? AND idempotency_key = ?",
                (rs, row) -> new RecordedIssue(rs.getLong(1), rs.getLong(2)), userId, idempotencyKey));
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
}
