package com.couponrush.support;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Coupons written and counted directly in the database, so a test's figures never go through the code under test.
 * A bean of every {@link IntegrationTest}; tests against a database of their own construct one.
 */
@TestComponent
public final class CouponFixtures {

    private final JdbcTemplate jdbc;

    public CouponFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Open from a day ago to a day ahead, whatever the time zone of the JVM and the database. */
    public long openCoupon(int quantity, int perUserLimit) {
        LocalDateTime now = LocalDateTime.now();
        return coupon(quantity, perUserLimit, now.minusDays(1), now.plusDays(1));
    }

    public long coupon(int quantity, int perUserLimit, LocalDateTime start, LocalDateTime end) {
        Timestamp created = Timestamp.valueOf(LocalDateTime.now());
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO coupon (name, description,"
                    + " discount_amount, quantity, issued_count, per_user_limit, start_date, end_date, created_at,"
                    + " modified_at) VALUES (?, 'experiment', 1000, ?, 0, ?, ?, ?, ?, ?)", new String[] {"id"});
            insert.setString(1, "experiment-" + UUID.randomUUID().toString().substring(0, 8));
            insert.setInt(2, quantity);
            insert.setInt(3, perUserLimit);
            insert.setTimestamp(4, Timestamp.valueOf(start));
            insert.setTimestamp(5, Timestamp.valueOf(end));
            insert.setTimestamp(6, created);
            insert.setTimestamp(7, created);
            return insert;
        }, keys);
        return keys.getKeyAs(Number.class).longValue();
    }

    /** The seed's 쿠폰 테이블에서 예상한 발급된 쿠폰 개수: what the coupon row says was issued. */
    public int issuedCount(long couponId) {
        return jdbc.queryForObject("SELECT issued_count FROM coupon WHERE id = ?", Integer.class, couponId);
    }

    /** The seed's 실제 발급된 전체 쿠폰 개수: the rows in user_coupon. */
    public int rows(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ?", Integer.class, couponId);
    }

    public int distinctHolders(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(DISTINCT user_id) FROM user_coupon WHERE coupon_id = ?",
                Integer.class, couponId);
    }

    /** Row ids come from the database's identity at insert time, so their order is the order of service. */
    public List<Long> idsInServeOrder(long couponId) {
        return jdbc.queryForList("SELECT id FROM user_coupon WHERE coupon_id = ? ORDER BY id", Long.class, couponId);
    }

    /** Who holds the coupon's rows, one entry per row. */
    public List<Long> holders(long couponId) {
        return jdbc.queryForList("SELECT user_id FROM user_coupon WHERE coupon_id = ?", Long.class, couponId);
    }

    /** The user a row was issued to. */
    public long ownerOf(long userCouponId) {
        return jdbc.queryForObject("SELECT user_id FROM user_coupon WHERE id = ?", Long.class, userCouponId);
    }

    /**
     * Opens the coupon's waiting line, empty, as after an earlier line was decided through. The first join opens it
     * under the coupon row's lock, which waits for a held coupon row: tests that hold the row open the line first.
     */
    public void openLine(long couponId) {
        jdbc.update("UPDATE coupon SET line_opened = TRUE WHERE id = ?", couponId);
        jdbc.update("INSERT INTO waiting_line (coupon_id, next_place, decided_through) VALUES (?, 1, 0)", couponId);
    }

    /** Places of the coupon's waiting line not decided yet. */
    public int placesWaiting(long couponId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM waiting_place WHERE coupon_id = ? AND status = 'WAITING'",
                Integer.class, couponId);
    }

    /** The rows issued to places, in place order. */
    public List<Long> idsIssuedToPlaces(long couponId) {
        return jdbc.queryForList("SELECT user_coupon_id FROM waiting_place WHERE coupon_id = ? AND status = 'ISSUED'"
                + " ORDER BY place_no", Long.class, couponId);
    }

    /**
     * When the rows issued to places were issued, in place order, in nanoseconds: the line's decider reads the time
     * under the coupon's lock, so these times follow the order of commits as the row ids do.
     */
    public List<Long> issueTimesOfPlaces(long couponId) {
        return jdbc.queryForList("SELECT uc.created_at FROM waiting_place wp JOIN user_coupon uc"
                        + " ON uc.id = wp.user_coupon_id WHERE wp.coupon_id = ? ORDER BY wp.place_no",
                Timestamp.class, couponId).stream()
                .map(time -> time.toInstant().getEpochSecond() * 1_000_000_000L + time.getNanos()).toList();
    }

    /** Pairs of issued places whose rows were issued in the opposite order. */
    public long placeInversions(long couponId) {
        return inversions(idsIssuedToPlaces(couponId));
    }

    /** Pairs in the list out of ascending order. */
    public static long inversions(List<Long> ids) {
        long inversions = 0;
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                if (ids.get(i) > ids.get(j)) {
                    inversions++;
                }
            }
        }
        return inversions;
    }
}
