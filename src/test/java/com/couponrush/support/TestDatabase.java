package com.couponrush.support;

import java.util.Locale;

/**
 * The database a test JVM runs against. The build runs the integration suite once per value
 * (Failsafe executions in pom.xml), so every persistence test runs on all three.
 */
public enum TestDatabase {
    H2, POSTGRES, MARIADB;

    public static final String PROPERTY = "coupon.test.database";

    public static TestDatabase current() {
        return valueOf(System.getProperty(PROPERTY, "postgres").toUpperCase(Locale.ROOT));
    }
}
