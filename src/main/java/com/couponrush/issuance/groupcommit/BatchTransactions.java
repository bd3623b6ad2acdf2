package com.couponrush.issuance.groupcommit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The group-commit engine's transactions, written out by hand on a connection bound to the drainer's thread (the
 * ledgers' JdbcTemplates find it there), with time limits that hold even when the database hangs. A JDBC query
 * timeout would not do: it counts whole seconds, does not cover the commit, and PostgreSQL delivers its cancel
 * over a new connection on the same (possibly frozen) path. Instead:
 * <ul>
 * <li>the driver's network timeout ({@link Connection#setNetworkTimeout}) cuts any read the database does not
 *     answer within the batch timeout, commit included, and the engine's timer aborts the connection of a batch
 *     whose reads together have run past it ({@link DatabaseWatch}). Some drivers' abort needs a second connection
 *     on the same path, so the network timeout is what frees a drainer on a frozen link. Either way the driver
 *     closes the connection and the pool evicts it;</li>
 * <li>the server's own limits, so that a slow (not hung) statement or a held row ends with a precise error
 *     instead of a cut socket: PostgreSQL {@code SET LOCAL lock_timeout / statement_timeout} (ends with the
 *     transaction), MariaDB {@code innodb_lock_wait_timeout / max_statement_time} for the session, put back to
 *     the server defaults before the connection returns to the pool; H2 (embedded: nothing can hang on a
 *     network) its session lock timeout, put back likewise.</li>
 * </ul>
 * Other strategies and ordinary queries use the same pool with none of this: the limits live and die with the
 * engine's transaction.
 */
final class BatchTransactions {

    private static final Executor CALLER = Runnable::run;

    private enum Vendor { POSTGRESQL, MARIADB, H2, OTHER }

    private static final String MARIADB_DEFAULTS =
            "SET SESSION innodb_lock_wait_timeout = DEFAULT, max_statement_time = DEFAULT";

    private final DataSource dataSource;
    private final int networkTimeoutMillis;
    private final String postgresLimits;
    private final String mariaDbLimits;
    private final String h2Limits;
    private volatile Vendor vendor;

    BatchTransactions(DataSource dataSource, Duration lockTimeout, Duration batchTimeout) {
        this.dataSource = dataSource;
        this.networkTimeoutMillis = (int) Math.max(1, batchTimeout.toMillis());
        this.postgresLimits = "SELECT set_config('lock_timeout', '" + lockTimeout.toMillis() + "ms', true),"
                + " set_config('statement_timeout', '" + batchTimeout.toMillis() + "ms', true)";
        // innodb_lock_wait_timeout counts whole seconds (at least 1); max_statement_time takes fractions
        long lockSeconds = Math.max(1, (lockTimeout.toMillis() + 999) / 1000);
        this.mariaDbLimits = "SET SESSION innodb_lock_wait_timeout = " + lockSeconds
                + ", max_statement_time = " + String.format(Locale.ROOT, "%.3f", batchTimeout.toMillis() / 1000.0);
        this.h2Limits = "SET LOCK_TIMEOUT " + lockTimeout.toMillis();
    }

    /** The commit was sent and its answer never came (or made no sense): the batch may or may not be written. */
    static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(Throwable cause) {
            super("the commit's outcome is unknown", cause);
        }
    }

    /**
     * Runs the work in one transaction on a connection registered with {@code batch} (so the timer can abort
     * it): committed if it returns, rolled back if it throws before the commit. A failure of the commit itself is
     * a {@link CommitOutcomeUnknown} unless the database said it rolled back; other failures propagate as thrown or
     * wrapped with their SQLException, nothing written: {@link BatchFault} sorts them.
     */
    <T> T inTransaction(DatabaseWatch.InFlight batch, Supplier<T> work) {
        Connection connection = connection();
        batch.connected(connection);
        Vendor database;
        try {
            database = vendorOf(connection);
            connection.setNetworkTimeout(CALLER, networkTimeoutMillis);
        } catch (SQLException e) {
            release(connection, null);
            throw new UncategorizedSQLException("batch connection", null, e);
        }
        String restore = null;
        TransactionSynchronizationManager.bindResource(dataSource, new ConnectionHolder(connection));
        try {
            connection.setAutoCommit(false);
            restore = limit(connection, database);
            T result = work.get();
            commit(connection);
            return result;
        } catch (SQLException e) {
            rollbackQuietly(connection);
            throw new UncategorizedSQLException("batch transaction", null, e);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(connection);
            throw e;
        } finally {
            TransactionSynchronizationManager.unbindResource(dataSource);
            release(connection, restore);
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            if (BatchFault.of(e) == BatchFault.CONTENDED) {
                throw new UncategorizedSQLException("batch commit", null,
                        e instanceof SQLException sql ? sql : new SQLException(e));
            }
            throw new CommitOutcomeUnknown(e);
        }
    }

    /** One round trip under the same network timeout: does the database answer at all? */
    void probe() {
        Connection connection = connection();
        try (connection; Statement statement = connection.createStatement()) {
            connection.setNetworkTimeout(CALLER, networkTimeoutMillis);
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("the database did not answer the probe", e);
        }
    }

    private Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("no connection for a batch", e);
        }
    }

    /** Sets the engine's limits on the connection; returns what puts the session back, if anything must. */
    private String limit(Connection connection, Vendor database) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            switch (database) {
                case POSTGRESQL -> {
                    statement.execute(postgresLimits);
                    return null;
                }
                case MARIADB -> {
                    statement.execute(mariaDbLimits);
                    return MARIADB_DEFAULTS;
                }
                case H2 -> {
                    long sessionTimeout;
                    try (ResultSet current = statement.executeQuery("SELECT LOCK_TIMEOUT()")) {
                        current.next();
                        sessionTimeout = current.getLong(1);
                    }
                    statement.execute(h2Limits);
                    return "SET LOCK_TIMEOUT " + sessionTimeout;
                }
                default -> {
                    return null;
                }
            }
        }
    }

    /** After a cut socket the pool has already closed the connection: the failure that matters is the first one. */
    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException alreadyBroken) {
            // the database rolls back a transaction whose connection is gone
        }
    }

    private static void release(Connection connection, String restore) {
        try (connection) {
            if (restore != null && !connection.isClosed()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(restore);
                }
            }
        } catch (SQLException brokenConnection) {
            // the pool evicts a connection the driver has closed; one that failed here fails its next validation
        }
    }

    private Vendor vendorOf(Connection connection) throws SQLException {
        Vendor known = vendor;
        if (known == null) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            known = product.contains("postgresql") ? Vendor.POSTGRESQL
                    : product.contains("mariadb") || product.contains("mysql") ? Vendor.MARIADB
                    : product.equals("h2") ? Vendor.H2 : Vendor.OTHER;
            vendor = known;
        }
        return known;
    }
}
