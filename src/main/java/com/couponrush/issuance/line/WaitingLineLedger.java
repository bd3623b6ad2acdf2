package com.couponrush.issuance.line;

import com.couponrush.web.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The line's SQL, portable across H2, PostgreSQL and MariaDB, set at a time like the engine's: one statement per
 * step of a batch, whatever its size. Numbers move only under the waiting_line row's lock ({@link #lock}).
 */
@Repository
class WaitingLineLedger {

    private static final String PLACE_COLUMNS =
            "SELECT coupon_id, place_no, user_id, status, reason, user_coupon_id FROM waiting_place";

    private static final RowMapper<Place> PLACE = WaitingLineLedger::place;
    private static final RowMapper<LineRow> LINE = (rs, row) ->
            new LineRow(rs.getLong(1), rs.getLong(2), rs.getLong(3));

    private final JdbcTemplate jdbc;

    WaitingLineLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the line's lock until the transaction ends; empty if the coupon has no line yet. */
    Optional<LineRow> lock(long couponId) {
        return first(jdbc.query("SELECT coupon_id, next_place, decided_through FROM waiting_line WHERE coupon_id = ?"
                + " FOR UPDATE", LINE, couponId));
    }

    Optional<LineRow> find(long couponId) {
        return first(jdbc.query("SELECT coupon_id, next_place, decided_through FROM waiting_line WHERE coupon_id = ?",
                LINE, couponId));
    }

    /**
     * Opens the coupon's line in the caller's transaction. The coupon row is marked first: its lock orders openers
     * against each other and against the engine's batches, which read the mark under the same lock and lock the
     * line only where it is set.
     *
     * @return false if it was already open
     */
    boolean open(long couponId) {
        jdbc.update("UPDATE coupon SET line_opened = TRUE WHERE id = ?", couponId);
        if (find(couponId).isPresent()) {
            return false;
        }
        jdbc.update("INSERT INTO waiting_line (coupon_id, next_place, decided_through) VALUES (?, 1, 0)", couponId);
        return true;
    }

    /** Every line with places still waiting, in one query: what each instance's decider looks at. */
    List<LineRow> undecided() {
        return jdbc.query("SELECT coupon_id, next_place, decided_through FROM waiting_line"
                + " WHERE decided_through < next_place - 1", LINE);
    }

    List<Place> placesOf(long couponId, Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(userIds.size() + 1);
        args.add(couponId);
        args.addAll(userIds);
        return jdbc.query(PLACE_COLUMNS + " WHERE coupon_id = ? AND user_id IN (" + placeholders(userIds.size())
                + ")", PLACE, args.toArray());
    }

    Optional<Place> placeOf(long couponId, long userId) {
        return first(jdbc.query(PLACE_COLUMNS + " WHERE coupon_id = ? AND user_id = ?", PLACE, couponId, userId));
    }

    /** The places numbered after {@code after}, up to {@code through}, in place order. */
    List<Place> places(long couponId, long after, long through) {
        return jdbc.query(PLACE_COLUMNS + " WHERE coupon_id = ? AND place_no > ? AND place_no <= ? ORDER BY place_no",
                PLACE, couponId, after, through);
    }

    /** New places, numbered by the caller under the line's lock, in one statement; then the line's next number. */
    void give(long couponId, Map<Long, Long> numberOfUser, long nextPlace, LocalDateTime now) {
        if (numberOfUser.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO waiting_place (coupon_id, place_no, user_id, status,"
                + " created_at) VALUES ");
        List<Object> args = new ArrayList<>(numberOfUser.size() * 4);
        Timestamp at = Timestamp.valueOf(now);
        for (Map.Entry<Long, Long> place : numberOfUser.entrySet()) {
            sql.append(args.isEmpty() ? "" : ", ").append("(?, ?, ?, 'WAITING', ?)");
            args.add(couponId);
            args.add(place.getValue());
            args.add(place.getKey());
            args.add(at);
        }
        jdbc.update(sql.toString(), args.toArray());
        jdbc.update("UPDATE waiting_line SET next_place = ? WHERE coupon_id = ?", nextPlace, couponId);
    }

    /** Writes the outcomes of decided places (one batched statement) and how far the line is decided. */
    void decide(long couponId, List<Place> decided, long decidedThrough, LocalDateTime now) {
        Timestamp at = Timestamp.valueOf(now);
        List<Object[]> rows = new ArrayList<>(decided.size());
        for (Place place : decided) {
            rows.add(new Object[] {place.status().name(), place.reason() == null ? null : place.reason().name(),
                    place.userCouponId(), at, couponId, place.number()});
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("UPDATE waiting_place SET status = ?, reason = ?, user_coupon_id = ?, decided_at = ?"
                    + " WHERE coupon_id = ? AND place_no = ?", rows);
        }
        moveDecidedThrough(couponId, decidedThrough);
    }

    /** Refuses every place after {@code after} with one reason, in one statement: the line is decided through its end. */
    void refuseAllAfter(long couponId, long after, long lastPlace, ErrorCode reason, LocalDateTime now) {
        jdbc.update("UPDATE waiting_place SET status = 'REFUSED', reason = ?, decided_at = ?"
                + " WHERE coupon_id = ? AND place_no > ? AND place_no <= ?",
                reason.name(), Timestamp.valueOf(now), couponId, after, lastPlace);
        moveDecidedThrough(couponId, lastPlace);
    }

    private void moveDecidedThrough(long couponId, long decidedThrough) {
        jdbc.update("UPDATE waiting_line SET decided_through = ? WHERE coupon_id = ?", decidedThrough, couponId);
    }

    private static Place place(ResultSet rs, int row) throws SQLException {
        String reason = rs.getString(5);
        long userCouponId = rs.getLong(6);
        Long issued = rs.wasNull() ? null : userCouponId;
        return new Place(rs.getLong(1), rs.getLong(2), rs.getLong(3), Place.Status.valueOf(rs.getString(4)),
                reason == null ? null : ErrorCode.valueOf(reason), issued);
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static String placeholders(int count) {
        return "?" + ", ?".repeat(count - 1);
    }
}
