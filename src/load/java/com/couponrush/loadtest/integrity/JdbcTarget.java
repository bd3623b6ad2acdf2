package com.couponrush.loadtest.integrity;

/** The service's database, read by the integrity check for the row side of its comparison. */
public record JdbcTarget(String url, String user, String password) {
}
