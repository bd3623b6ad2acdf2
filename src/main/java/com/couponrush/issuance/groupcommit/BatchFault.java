package com.couponrush.issuance.groupcommit;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * What a failed batch says about the database, and so how far its consequences reach. Only a database that
 * cannot be reached or does not answer in time concerns every coupon; a row held by someone else, a deadlock
 * or a serialization failure concerns the one coupon whose batch met it; a pool with no free connection, or
 * anything else, the batch alone. Each of these failed before a commit was sent, so nothing was written.
 */
enum BatchFault {

    /** Lock timeout, deadlock victim, serialization failure: the database rolled the batch back; this coupon only. */
    CONTENDED,
    /** No connection, a broken socket, a network or statement timeout: every coupon (the instance-wide guard). */
    UNREACHABLE,
    /** The connection pool had no free connection in time: this instance is busy, the database may be fine. */
    POOL_EXHAUSTED,
    /** Anything else, a bug included: this batch only. */
    FAILED;

    // PostgreSQL: 55P03 lock_not_available (lock_timeout), 40P01 deadlock; everyone: 40001 serialization failure
    // (also MariaDB's deadlock). H2: lock timeout 50200.
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK = "40P01";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final int H2_LOCK_TIMEOUT = 50200;
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    private static final int MARIADB_DEADLOCK = 1213;
    // PostgreSQL: 57014 query_canceled (statement_timeout; a lock_timeout is 55P03, not this), 57P01-57P03
    // shutdown / cannot connect now, class 53 insufficient resources (too many connections). MariaDB: 1969 / 70100
    // max_statement_time exceeded. Class 08 is a connection exception everywhere.
    private static final String STATEMENT_TIMEOUT = "57014";
    private static final String MARIADB_STATEMENT_TIMEOUT_STATE = "70100";
    private static final int MARIADB_STATEMENT_TIMEOUT = 1969;

    static BatchFault of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                BatchFault known = ofSqlException(sql);
                if (known != null) {
                    return known;
                }
            } else if (cause instanceof IOException) {
                return UNREACHABLE;
            }
        }
        if (failure instanceof PessimisticLockingFailureException) {
            return CONTENDED;
        }
        if (failure instanceof DataAccessResourceFailureException || failure instanceof QueryTimeoutException
                || failure instanceof CannotCreateTransactionException) {
            return UNREACHABLE;
        }
        return FAILED;
    }

    private static BatchFault ofSqlException(SQLException sql) {
        // a pool's timeout carries the last failure to connect, if there was one; without, the pool was just busy
        if (sql instanceof SQLTransientConnectionException && sql.getCause() == null
                && sql.getNextException() == null && sql.getSQLState() == null) {
            return POOL_EXHAUSTED;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        int code = sql.getErrorCode();
        if (state.equals(SERIALIZATION_FAILURE) || state.equals(DEADLOCK) || state.equals(LOCK_NOT_AVAILABLE)
                || code == H2_LOCK_TIMEOUT || code == MARIADB_LOCK_WAIT_TIMEOUT || code == MARIADB_DEADLOCK) {
            return CONTENDED;
        }
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.equals(STATEMENT_TIMEOUT)
                || state.equals(MARIADB_STATEMENT_TIMEOUT_STATE) || code == MARIADB_STATEMENT_TIMEOUT
                || sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException
                || sql instanceof SQLRecoverableException || sql instanceof SQLTimeoutException) {
            return UNREACHABLE;
        }
        return null;
    }
}
