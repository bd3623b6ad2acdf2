package com.couponrush.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The coupon's row locked by a transaction of the test's own, as another instance or a stuck batch would hold
 * it: every issuance of that coupon waits until {@link #close()} rolls the transaction back.
 */
public final class HeldCouponRow implements AutoCloseable {

    private final Connection connection;

    private HeldCouponRow(Connection connection) {
        this.connection = connection;
    }

    public static HeldCouponRow hold(DataSource dataSource, long couponId) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM coupon WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, couponId);
                lock.executeQuery().close();
            }
            return new HeldCouponRow(connection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Changes the held row and commits, letting the lock go with the change: nobody acts on the row between the
     * holder's reading and its change, as when an operator's change waits its turn behind the batches.
     */
    public void commitUpdate(String sql, Object... arguments) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                update.setObject(i + 1, arguments[i]);
            }
            update.executeUpdate();
        }
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
