package com.couponrush.loadtest.bench;

import com.couponrush.loadtest.report.LoadConditions;
import com.couponrush.loadtest.report.TargetRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A benchmark's options, read from {@code -Dbench.*} system properties (docs/load-testing.md).
 *
 * @param targets         the bare framework app and ping first when measured, then the strategies, in order
 * @param driver          {@code wrk} (a C load generator: it leaves the shared cores to the service, so the figures
 *                        show the service rather than the generator) or {@code gatling} (the load test of
 *                        docs/load-testing.md, with a ramp and per-request fairness figures, but a JVM of its own)
 * @param reportDirectory where the run's report file and its charts are written
 */
record BenchmarkSettings(
        List<String> targets,
        List<Path> jdks,
        Path jar,
        String driver,
        int wrkThreads,
        String adminJdbcUrl,
        String dbUser,
        String dbPassword,
        int users,
        int virtualUsers,
        int rampSeconds,
        int holdSeconds,
        int warmupSeconds,
        int quantity,
        int perUserLimit,
        List<String> serviceJvmArgs,
        List<String> serviceArgs,
        Path reportDirectory,
        boolean keepDatabase,
        String command,
        String note) {

    static final String ALL_STRATEGIES =
            "none,pessimistic-lock,atomic-update,lettuce-spin-lock,redisson-fair-lock,group-commit";

    static BenchmarkSettings fromSystemProperties(String command) {
        String driver = System.getProperty("bench.driver", LoadConditions.WRK);
        if (!driver.equals(LoadConditions.WRK) && !driver.equals(LoadConditions.GATLING)) {
            throw new IllegalArgumentException("bench.driver must be '" + LoadConditions.WRK + "' or '"
                    + LoadConditions.GATLING + "', not " + driver);
        }
        List<String> targets = new ArrayList<>();
        // Gatling's simulation drives the service's API (sign-in, coupon, integrity): the bare app has none of it
        if (driver.equals(LoadConditions.WRK) && Boolean.parseBoolean(System.getProperty("bench.bare", "true"))) {
            targets.add(TargetRun.BARE);
        }
        if (Boolean.parseBoolean(System.getProperty("bench.ping", "true"))) {
            targets.add(TargetRun.PING);
        }
        targets.addAll(list(System.getProperty("bench.strategies", ALL_STRATEGIES), ","));
        List<Path> jdks = list(System.getProperty("bench.jdks", System.getProperty("java.home")), ",").stream()
                .map(Path::of).toList();
        return new BenchmarkSettings(targets, jdks, jar(System.getProperty("bench.jar", "")), driver,
                Integer.getInteger("bench.wrkThreads", 2),
                System.getProperty("bench.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getProperty("bench.jdbcUser", "postgres"), System.getProperty("bench.jdbcPassword", ""),
                Integer.getInteger("bench.users", 500), Integer.getInteger("bench.vus", 500),
                Integer.getInteger("bench.rampSeconds", 5), Integer.getInteger("bench.holdSeconds", 20),
                Integer.getInteger("bench.warmupSeconds", 60),
                Integer.getInteger("bench.quantity", 1_000_000), Integer.getInteger("bench.perUserLimit", 0),
                list(System.getProperty("bench.serviceJvmArgs", "-Xmx512m"), " "),
                list(System.getProperty("bench.serviceArgs", ""), " "),
                Path.of(System.getProperty("bench.reportDir", "docs/benchmarks")),
                Boolean.parseBoolean(System.getProperty("bench.keepDatabase", "false")),
                System.getProperty("bench.command", command),
                System.getProperty("bench.note", ""));
    }

    boolean wrk() {
        return driver.equals(LoadConditions.WRK);
    }

    LoadConditions conditions() {
        return new LoadConditions(driver, wrkThreads, quantity, perUserLimit, users, virtualUsers, rampSeconds,
                holdSeconds, warmupSeconds, serviceJvmArgs, command, note);
    }

    private static Path jar(String configured) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "coupon-rush-*.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no target/coupon-rush-*.jar: build it first (./mvnw -DskipTests package)");
    }

    private static List<String> list(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
