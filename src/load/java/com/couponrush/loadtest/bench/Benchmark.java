package com.couponrush.loadtest.bench;

import com.couponrush.loadtest.driver.WrkDriver;
import com.couponrush.loadtest.report.BenchmarkReport;
import com.couponrush.loadtest.report.Machine;
import com.couponrush.loadtest.report.TargetRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Every strategy under the same load on the real stack, in one go: a fresh database on the local server, the
 * same accounts for every run, then per JDK and per target (the bare framework app and the ping baseline first,
 * then each strategy) a {@link TargetMeasurement}, and at the end the run's {@link BenchmarkReport}: one file
 * of its own in {@code bench.reportDir}. Started by src/load/scripts/benchmark.sh; options ({@code -Dbench.*})
 * in docs/load-testing.md.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Under exec:java this class lives in a child class loader that DriverManager did not scan at start-up.
        ServiceLoader.load(Driver.class, Benchmark.class.getClassLoader()).forEach(driver -> { });
        BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties(String.join(" ", args));
        if (settings.wrk()) {
            WrkDriver.requireInstalled();
        }
        Path workDir = Files.createDirectories(Path.of("target", "load-test", "benchmark").toAbsolutePath());
        String database = "couponrush_bench_" + Instant.now().getEpochSecond();
        String serverUrl = settings.adminJdbcUrl();
        String databaseUrl = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + database;
        Machine machine = Machine.probe(serverUrl, settings.dbUser(), settings.dbPassword(), settings.jar(),
                settings.conditions());
        execute(settings, "CREATE DATABASE " + database);
        System.out.println("[benchmark] database " + databaseUrl);
        List<TargetRun> runs = new ArrayList<>();
        try {
            TargetMeasurement measurement = new TargetMeasurement(settings, databaseUrl, workDir);
            measurement.prepare();
            for (Path jdk : settings.jdks()) {
                String jdkLabel = Machine.jdkLabel(jdk);
                for (String target : settings.targets()) {
                    runs.add(measurement.measure(jdk, jdkLabel, target));
                }
            }
        } finally {
            if (!settings.keepDatabase()) {
                execute(settings, "DROP DATABASE IF EXISTS " + database);
            }
        }
        Path report = BenchmarkReport.write(settings.reportDirectory(), settings.conditions(), machine, runs);
        System.out.println("[benchmark] wrote " + report);
        // Only the unsafe strategy may fail the check, and only a strategy missing from this build may not run.
        List<TargetRun> failed = runs.stream().filter(run -> run.result().isPresent() ? !run.target().equals("none")
                && run.result().get().path("integrity").path("verdict").asString("PASS").equals("FAIL")
                : run.exitCode() != -1).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("integrity FAIL or no result for " + failed.stream()
                    .map(run -> run.target() + " on " + run.jdkLabel()).toList());
        }
    }

    static void execute(BenchmarkSettings settings, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.adminJdbcUrl(), settings.dbUser(),
                settings.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
