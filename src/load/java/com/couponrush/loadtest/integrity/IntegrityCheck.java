package com.couponrush.loadtest.integrity;

import com.couponrush.loadtest.fixture.CouponRushApi;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The seed's after-the-fact check, automated: what the client was told, what the user_coupon table holds and
 * what the coupon's counter says must be one and the same number, never above the quantity, and nobody may
 * hold more than the per-user limit. Reads the counter through the API and the rows through JDBC, comparing
 * each with a baseline taken before the load (so an existing coupon can be used too).
 */
public final class IntegrityCheck {

    private static final int CONNECT_ATTEMPTS = 30;
    private static final long CONNECT_BACKOFF_MILLIS = 1000;

    private final CouponRushApi api;
    private final Optional<JdbcTarget> jdbc;

    public IntegrityCheck(CouponRushApi api, Optional<JdbcTarget> jdbc) {
        this.api = api;
        this.jdbc = jdbc;
    }

    public record Baseline(CouponRushApi.CouponState coupon, Optional<Long> rows) {
    }

    /**
     * @param rowsAdded      empty when no JDBC URL was given: the row-side checks are then reported as skipped
     * @param usersAboveLimit users holding more of the coupon than its per-user limit (0 when unlimited)
     */
    public record Verdict(boolean pass, long couponId, long clientSuccesses, long unanswered, int quantity,
                          int perUserLimit, int issuedBefore, int issuedAfter, int remainingBefore, int remainingAfter,
                          Optional<Long> rowsAdded, Optional<Long> rowsTotal, Optional<Long> maxHeldByOneUser,
                          Optional<Long> usersAboveLimit, List<String> violations) {

        public long issuedCounterChange() {
            return issuedAfter - issuedBefore;
        }

        public long remainingDrop() {
            return remainingBefore - remainingAfter;
        }

        public String word() {
            return pass ? "PASS" : "FAIL";
        }

        public void print(PrintStream out) {
            out.println();
            out.println("  █ INTEGRITY (coupon " + couponId + "): " + word());
            out.println();
            out.printf(Locale.ROOT, "    successes seen by the client........: %d%s%n", clientSuccesses,
                    unanswered > 0 ? " (+" + unanswered + " unanswered or answered outcome-unknown)" : "");
            out.printf(Locale.ROOT, "    rows added to user_coupon...........: %s%n",
                    rowsAdded.map(String::valueOf).orElse("not checked (give load.jdbcUrl)"));
            out.printf(Locale.ROOT, "    issued counter change...............: %d (%d -> %d)%n",
                    issuedCounterChange(), issuedBefore, issuedAfter);
            out.printf(Locale.ROOT, "    drop in remaining...................: %d (%d -> %d)%n",
                    remainingDrop(), remainingBefore, remainingAfter);
            out.printf(Locale.ROOT, "    quantity............................: %d (issued %d, rows %s)%n", quantity,
                    issuedAfter, rowsTotal.map(String::valueOf).orElse("?"));
            out.printf(Locale.ROOT, "    per-user limit......................: %s; most held by one user: %s; users above: %s%n",
                    perUserLimit == 0 ? "unlimited" : Integer.toString(perUserLimit),
                    maxHeldByOneUser.map(String::valueOf).orElse("?"),
                    usersAboveLimit.map(String::valueOf).orElse("not checked"));
            violations.forEach(violation -> out.println("    ✗ " + violation));
            out.println();
        }
    }

    public Baseline baseline(long couponId) {
        return new Baseline(api.coupon(couponId), jdbc.map(target -> rows(target, couponId)));
    }

    public Verdict verify(Baseline before, long clientSuccesses, long unanswered) {
        long couponId = before.coupon().couponId();
        CouponRushApi.CouponState after = api.coupon(couponId);
        List<String> violations = new ArrayList<>();
        long counterChange = after.issuedCount() - before.coupon().issuedCount();
        long remainingDrop = before.coupon().remaining() - after.remaining();

        if (counterChange != remainingDrop) {
            violations.add("issued counter moved by " + counterChange + " but remaining dropped by " + remainingDrop);
        }
        if (after.issuedCount() > after.quantity()) {
            violations.add("issued " + after.issuedCount() + " > quantity " + after.quantity());
        }
        // A request unanswered, or answered 'outcome unknown', may still have been issued: only then may the server
        // count more than the client.
        if (counterChange < clientSuccesses || counterChange > clientSuccesses + unanswered) {
            violations.add("the client was told " + clientSuccesses + " successes but the counter moved by "
                    + counterChange + (unanswered > 0 ? " (" + unanswered + " unanswered)" : ""));
        }

        Optional<Long> rowsAdded = Optional.empty();
        Optional<Long> rowsTotal = Optional.empty();
        Optional<Long> maxHeld = Optional.empty();
        Optional<Long> aboveLimit = Optional.empty();
        if (jdbc.isPresent()) {
            JdbcTarget target = jdbc.get();
            long total = rows(target, couponId);
            long added = total - before.rows().orElse(0L);
            rowsTotal = Optional.of(total);
            rowsAdded = Optional.of(added);
            maxHeld = Optional.of(maxHeldByOneUser(target, couponId));
            aboveLimit = Optional.of(after.perUserLimit() == 0 ? 0L
                    : usersAbove(target, couponId, after.perUserLimit()));
            if (added != counterChange) {
                violations.add(added + " rows were added to user_coupon but the counter moved by " + counterChange);
            }
            if (total != after.issuedCount()) {
                violations.add("user_coupon holds " + total + " rows for the coupon but its issued counter says "
                        + after.issuedCount());
            }
            if (total > after.quantity()) {
                violations.add(total + " rows for a quantity of " + after.quantity());
            }
            if (aboveLimit.get() > 0) {
                violations.add(aboveLimit.get() + " users hold more than the per-user limit of "
                        + after.perUserLimit() + " (most: " + maxHeld.get() + ")");
            }
        }
        return new Verdict(violations.isEmpty(), couponId, clientSuccesses, unanswered, after.quantity(),
                after.perUserLimit(), before.coupon().issuedCount(), after.issuedCount(), before.coupon().remaining(),
                after.remaining(), rowsAdded, rowsTotal, maxHeld, aboveLimit, List.copyOf(violations));
    }

    private static long rows(JdbcTarget target, long couponId) {
        return single(target, "SELECT COUNT(*) FROM user_coupon WHERE coupon_id = ?", couponId);
    }

    private static long maxHeldByOneUser(JdbcTarget target, long couponId) {
        return single(target, "SELECT COALESCE(MAX(held), 0) FROM (SELECT COUNT(*) AS held FROM user_coupon"
                + " WHERE coupon_id = ? GROUP BY user_id) per_user", couponId);
    }

    private static long usersAbove(JdbcTarget target, long couponId, int limit) {
        return single(target, "SELECT COUNT(*) FROM (SELECT user_id FROM user_coupon WHERE coupon_id = ?"
                + " GROUP BY user_id HAVING COUNT(*) > ?) above", couponId, limit);
    }

    private static long single(JdbcTarget target, String sql, Object... parameters) {
        try (Connection connection = connect(target);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("integrity query failed on " + target.url() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A shared database server may be out of connections for a moment (other clients, or the service's own pool
     * draining after the load): the verdict is worth a short wait, bounded so a dead server still fails the run.
     */
    static Connection connect(JdbcTarget target) throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
            try {
                return DriverManager.getConnection(target.url(), target.user(), target.password());
            } catch (SQLException refused) {
                last = refused;
                try {
                    Thread.sleep(CONNECT_BACKOFF_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw refused;
                }
            }
        }
        throw last;
    }
}
