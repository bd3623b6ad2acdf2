package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures stay with their coupon and which concern the whole database. */
class BatchFaultTest {

    private static UncategorizedSQLException translated(String sqlState, int vendorCode) {
        return new UncategorizedSQLException("batch", "SELECT", new SQLException("failed", sqlState, vendorCode));
    }

    @Test
    void lockTimeoutsDeadlocksAndSerializationFailuresStayWithTheCoupon() {
        assertThat(BatchFault.of(translated("55P03", 0))).as("PostgreSQL lock_timeout").isEqualTo(BatchFault.CONTENDED);
        assertThat(BatchFault.of(translated("40P01", 0))).as("PostgreSQL deadlock").isEqualTo(BatchFault.CONTENDED);
        assertThat(BatchFault.of(translated("40001", 0))).as("serialization failure").isEqualTo(BatchFault.CONTENDED);
        assertThat(BatchFault.of(translated("HY000", 1205))).as("MariaDB lock wait timeout")
                .isEqualTo(BatchFault.CONTENDED);
        assertThat(BatchFault.of(translated("40001", 1213))).as("MariaDB deadlock").isEqualTo(BatchFault.CONTENDED);
        assertThat(BatchFault.of(translated("HYT00", 50200))).as("H2 lock timeout").isEqualTo(BatchFault.CONTENDED);
        assertThat(BatchFault.of(new CannotAcquireLockException("held"))).isEqualTo(BatchFault.CONTENDED);
    }

    @Test
    void connectionFailuresAndTimeoutsOfTheWholeDatabaseReachEveryCoupon() {
        assertThat(BatchFault.of(translated("57014", 0))).as("PostgreSQL statement_timeout, not a lock timeout")
                .isEqualTo(BatchFault.UNREACHABLE);
        assertThat(BatchFault.of(translated("08006", 0))).as("PostgreSQL I/O error after a network timeout")
                .isEqualTo(BatchFault.UNREACHABLE);
        assertThat(BatchFault.of(translated("70100", 1969))).as("MariaDB max_statement_time")
                .isEqualTo(BatchFault.UNREACHABLE);
        assertThat(BatchFault.of(translated("53300", 0))).as("too many connections").isEqualTo(BatchFault.UNREACHABLE);
        assertThat(BatchFault.of(new CannotGetJdbcConnectionException("pool timed out",
                new SQLTransientConnectionException("Connection is not available", "08001",
                        new SQLException("Connection refused", "08001"))))).as("the pool could not connect")
                .isEqualTo(BatchFault.UNREACHABLE);
        assertThat(BatchFault.of(new TransactionSystemException("JDBC commit",
                new SQLException("An I/O error occurred", "08006", new SocketTimeoutException("Read timed out")))))
                .as("a commit cut by the network timeout").isEqualTo(BatchFault.UNREACHABLE);
        assertThat(BatchFault.of(new QueryTimeoutException("timed out"))).isEqualTo(BatchFault.UNREACHABLE);
    }

    @Test
    void aPoolWithNoFreeConnectionIsNotADatabaseOutage() {
        assertThat(BatchFault.of(new CannotGetJdbcConnectionException("pool timed out",
                new SQLTransientConnectionException("Connection is not available, request timed out after 2000ms"))))
                .isEqualTo(BatchFault.POOL_EXHAUSTED);
    }

    @Test
    void anythingElseStaysWithItsBatch() {
        assertThat(BatchFault.of(new IllegalStateException("driver returned 2 generated ids for 3 inserted rows")))
                .isEqualTo(BatchFault.FAILED);
        assertThat(BatchFault.of(translated("42601", 0))).as("a syntax error is a bug").isEqualTo(BatchFault.FAILED);
    }
}
