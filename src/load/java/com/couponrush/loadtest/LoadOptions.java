package com.couponrush.loadtest;

import com.couponrush.loadtest.integrity.JdbcTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything a load run can be told, read from {@code -Dload.*} system properties (see docs/load-testing.md).
 *
 * @param baseUrl       the service under test; loopback only
 * @param target        {@code issue} (POST /api/v1/user-coupon), {@code ping} (GET /api/v1/auth/ping, the HTTP ceiling)
 *                      or {@code line} (each user takes a place, POST /api/v1/coupons/{id}/line, and waits for its
 *                      outcome: {@code LineLoadTest})
 * @param couponId      an existing coupon to hammer; empty = create one with {@code quantity} and {@code perUserLimit}
 * @param accounts      a CSV file of {@code email,password[,bearer token]}; empty = sign up {@code users} new users
 * @param adminEmail    an ADMIN account that creates the coupon (the service's bootstrap admin)
 * @param virtualUsers  concurrent virtual users at the peak, each looping on one account
 * @param ramp          time to go from 0 to {@code virtualUsers}
 * @param hold          time at the peak after the ramp
 * @param pause         think time between two requests of a virtual user (the seed's k6 script slept 1 s)
 * @param jdbc          the service's database, for the row counts of the integrity check; empty = API-only check
 * @param resultFile    where the summary and the verdict are written as JSON, for the benchmark
 */
public record LoadOptions(String baseUrl, String target, Optional<Long> couponId, int quantity, int perUserLimit,
                          int users, Optional<Path> accounts, String userPassword, String adminEmail,
                          String adminPassword, int prepThreads, int virtualUsers, Duration ramp, Duration hold,
                          Duration pause, Optional<JdbcTarget> jdbc, Optional<Path> resultFile, String label) {

    public static final String ISSUE = "issue";
    public static final String PING = "ping";
    public static final String LINE = "line";

    public static LoadOptions fromSystemProperties() {
        return from(System.getProperties());
    }

    /** The same options from any set of {@code load.*} properties (the README's command, parsed by a test). */
    public static LoadOptions from(Properties given) {
        return new Reader(given).options();
    }

    private record Reader(Properties given) {

        LoadOptions options() {
            String target = property("load.target", ISSUE);
            if (!target.equals(ISSUE) && !target.equals(PING) && !target.equals(LINE)) {
                throw new IllegalArgumentException("load.target must be '" + ISSUE + "', '" + PING + "' or '" + LINE
                        + "', not " + target);
            }
            Optional<JdbcTarget> jdbc = optional("load.jdbcUrl").map(url -> new JdbcTarget(url,
                    property("load.jdbcUser", ""), property("load.jdbcPassword", "")));
            return new LoadOptions(
                    property("load.baseUrl", "http://127.0.0.1:8080").replaceAll("/+$", ""),
                    target,
                    optional("load.couponId").map(Long::parseLong),
                    integer("load.quantity", 10_000),
                    integer("load.perUserLimit", 100),
                    integer("load.users", 200),
                    optional("load.accounts").map(Path::of),
                    property("load.userPassword", "Load-test1!"),
                    property("load.adminEmail", env("APP_BOOTSTRAP_ADMIN_EMAIL", "admin@coupon-rush.dev")),
                    property("load.adminPassword", env("APP_BOOTSTRAP_ADMIN_PASSWORD", "")),
                    integer("load.prepThreads", 8),
                    integer("load.vus", 2000),
                    Duration.ofSeconds(integer("load.rampSeconds", 10)),
                    Duration.ofSeconds(integer("load.holdSeconds", 30)),
                    Duration.ofMillis(integer("load.pauseMs", 1000)),
                    jdbc,
                    optional("load.resultFile").map(Path::of),
                    property("load.label", target));
        }

        String property(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(given.getProperty(name)).map(String::trim).filter(value -> !value.isEmpty());
        }

        int integer(String name, int fallback) {
            return optional(name).map(Integer::parseInt).orElse(fallback);
        }

        static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    public boolean issuing() {
        return target.equals(ISSUE);
    }

    /** Every target but ping has a coupon: the one issued, or the one whose line is joined. */
    public boolean hasCoupon() {
        return !target.equals(PING);
    }

    public boolean line() {
        return target.equals(LINE);
    }

    public Duration duration() {
        return ramp.plus(hold);
    }
}
