package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * The engine's time limits (network timeout, lock and statement timeouts) belong to its own transactions: the
 * connections it hands back to the shared pool carry the defaults again, so other strategies and ordinary
 * queries wait as long as they always did.
 */
@IntegrationTest
class GroupCommitLimitsIT {

    @Autowired
    ApiClient api;
    @Autowired
    DataSource dataSource;
    @Autowired
    Environment environment;

    @Test
    void connectionsBackFromABatchCarryThePoolDefaults() throws Exception {
        long couponId = api.createCoupon(api.newAdmin(), 10, 0);
        assertThat(api.issue(api.newUser(), couponId).status()).isEqualTo(200);

        // the batch's connection is back in the pool before its caller hears "issued": borrow every pooled one
        int pooled = ((HikariDataSource) dataSource).getHikariPoolMXBean().getTotalConnections();
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < pooled; i++) {
                borrowed.add(dataSource.getConnection());
            }
            System.out.printf("group-commit limits: %d pooled connections checked on %s%n", borrowed.size(),
                    TestDatabase.current());
            assertThat(borrowed).isNotEmpty();
            for (Connection connection : borrowed) {
                assertThat(connection.getNetworkTimeout()).as("network timeout").isZero();
                assertThat(sessionLimitsAreDefaults(connection)).isTrue();
            }
        } finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }

    private boolean sessionLimitsAreDefaults(Connection connection) throws SQLException {
        return switch (TestDatabase.current()) {
            case POSTGRES -> single(connection, "SELECT COUNT(*) = 0 FROM pg_settings"
                    + " WHERE name IN ('lock_timeout', 'statement_timeout') AND setting <> reset_val");
            case MARIADB -> single(connection, "SELECT @@session.innodb_lock_wait_timeout = @@global.innodb_lock_wait_timeout"
                    + " AND @@session.max_statement_time = @@global.max_statement_time");
            case H2 -> lockTimeout(connection) == lockTimeoutOfAFreshSession();
        };
    }

    private long lockTimeoutOfAFreshSession() throws SQLException {
        try (Connection fresh = DriverManager.getConnection(environment.getRequiredProperty("spring.datasource.url"),
                environment.getRequiredProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password", ""))) {
            return lockTimeout(fresh);
        }
    }

    private static long lockTimeout(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT LOCK_TIMEOUT()")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static boolean single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getBoolean(1);
        }
    }
}
