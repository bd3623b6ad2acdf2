package com.couponrush.issuance.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The set-at-a-time statements of a group-commit batch, portable across H2, PostgreSQL and MariaDB:
 * one query per batch for held counts, one for idempotency keys, one multi-row INSERT for all winners.
 * The batch transaction must already hold the coupon row lock (see {@link IssuanceLedger#findForUpdate}); the group-commit engine and the waiting line both write through it.
 */
@Repository
public class BatchLedger {

    private static final String INSERT_HEAD =
            "INSERT INTO user_coupon (user_id, coupon_id, status, idempotency_key, created_at, modified_at) VALUES ";
    private static final String INSERT_ROW = "(?, ?, 'ISSUED', ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private volatile Boolean mariaDb;

    BatchLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<Long, Integer> heldCounts(long couponId, Collection<Long> userIds) {
        Map<Long, Integer> held = new HashMap<>();
        if (userIds.isEmpty()) {
            return held;
        }
        List<Object> args = new ArrayList<>(userIds.size() + 1);
        args.add(couponId);
        args.addAll(userIds);
        jdbc.query("SELECT user_id, COUNT(*) FROM user_coupon WHERE coupon_id = ? AND user_id IN ("
                        + placeholders(userIds.size()) + ") GROUP BY user_id",
                (ResultSet rs) -> {
                    held.put(rs.getLong(1), rs.getInt(2));
                }, args.toArray());
        return held;
    }

    /** Rows already committed under any of these keys, of any coupon: a key names one request of a user. */
    public Map<BatchDecider.KeyOfUser, RecordedIssue> recorded(Collection<BatchDecider.KeyOfUser> keys) {
        Map<BatchDecider.KeyOfUser, RecordedIssue> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        List<Object> args = new ArrayList<>(keys.size() * 2);
        StringBuilder where = new StringBuilder();
        for (BatchDecider.KeyOfUser key : keys) {
            where.append(where.length() == 0 ? "" : " OR ").append("(user_id = ? AND idempotency_key = ?)");
            args.add(key.userId());
            args.add(key.idempotencyKey());
        }
        jdbc.query("SELECT user_id, idempotency_key, id, coupon_id FROM user_coupon WHERE " + where,
                (ResultSet rs) -> {
                    found.put(new BatchDecider.KeyOfUser(rs.getLong(1), rs.getString(2)),
                            new RecordedIssue(rs.getLong(3), rs.getLong(4)));
                }, args.toArray());
        return found;
    }

    /**
     * Inserts the winners in one statement and returns their ids in the same order. H2 and PostgreSQL
     * report one generated key per row of a multi-row INSERT; MariaDB Connector/J reports only the first,
     * so on MariaDB the statement says {@code RETURNING id} (10.5+) instead. Checked by GroupCommitIssuanceIT.
     */
    public List<Long> insertAll(long couponId, List<BatchDecider.Request> winners, LocalDateTime now) {
        if (winners.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder(INSERT_HEAD.length() + winners.size() * (INSERT_ROW.length() + 2))
                .append(INSERT_HEAD);
        for (int i = 0; i < winners.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(INSERT_ROW);
        }
        Timestamp at = Timestamp.valueOf(now);
        return jdbc.execute(connection -> isMariaDb(connection)
                        ? connection.prepareStatement(sql.append(" RETURNING id").toString())
                        : connection.prepareStatement(sql.toString(), new String[] {"id"}),
                (PreparedStatement statement) -> {
                    int parameter = 1;
                    for (BatchDecider.Request winner : winners) {
                        statement.setLong(parameter++, winner.userId());
                        statement.setLong(parameter++, couponId);
                        statement.setString(parameter++, winner.idempotencyKey());
                        statement.setTimestamp(parameter++, at);
                        statement.setTimestamp(parameter++, at);
                    }
                    List<Long> ids = new ArrayList<>(winners.size());
                    try (ResultSet keys = statement.execute() ? statement.getResultSet()
                            : statement.getGeneratedKeys()) {
                        while (keys.next()) {
                            ids.add(keys.getLong(1));
                        }
                    }
                    if (ids.size() != winners.size()) {
                        throw new IllegalStateException("driver returned " + ids.size() + " generated ids for "
                                + winners.size() + " inserted rows");
                    }
                    return ids;
                });
    }

    private boolean isMariaDb(Connection connection) throws SQLException {
        Boolean known = mariaDb;
        if (known == null) {
            known = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("mariadb");
            mariaDb = known;
        }
        return known;
    }

    private static String placeholders(int count) {
        return "?" + ", ?".repeat(count - 1);
    }
}
