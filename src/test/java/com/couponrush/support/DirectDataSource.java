package com.couponrush.support;

import javax.sql.DataSource;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Connections of the test's own to the context's database, beside the application's pool and around any
 * {@link ProxiedDatabase} link: for sessions that act as another instance or an operator would (holding coupon
 * rows, say), which must neither take the application's connections nor share its link's faults.
 */
public final class DirectDataSource {

    /** Set by {@link ProxiedDatabase} to the database's own address; otherwise the application's is direct. */
    static final String URL = "coupon.test.direct-datasource.url";

    private DirectDataSource() {
    }

    public static DataSource of(Environment environment) {
        return new DriverManagerDataSource(
                environment.getProperty(URL, environment.getRequiredProperty("spring.datasource.url")),
                environment.getRequiredProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password", ""));
    }
}
