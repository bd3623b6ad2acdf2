package com.couponrush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class BenchmarkReportTest {

    private static final String JDK_17 = "Java 17.0.15 (platform threads)";
    private static final String JDK_25 = "Java 25.0.3 (virtual threads)";
    private static final Machine MACHINE = new Machine(ZonedDateTime.of(2026, 11, 30, 10, 35, 0, 0, ZoneOffset.UTC),
            "AMD EPYC", 2, "23.5 GiB", "Linux 6.18", "coupon-rush-0.1.0-SNAPSHOT.jar, Spring Boot 4.1.2",
            "wrk 4.1.0 with src/load/scripts/wrk.lua, 2 threads", "PostgreSQL 15.20", "7.0.15", "71b481e", false);
    private static final LoadConditions WRK = new LoadConditions(LoadConditions.WRK, 2, 1_000_000, 0, 500, 500, 5,
            20, 60, List.of("-Xmx512m"), "src/load/scripts/benchmark.sh -Dbench.strategies=group-commit", "");

    @Test
    void everyTargetIsComparedWithTheBareFrameworkAndWithPing() {
        String table = table(List.of(
                run(JDK_25, TargetRun.BARE, 20_000, 50, ""),
                run(JDK_25, TargetRun.PING, 10_000, 100, ""),
                run(JDK_25, "group-commit", 7_000, 150, "")));

        // ok/s ÷ ping | p99 ÷ ping | ok/s ÷ bare | p99 ÷ bare
        assertThat(row(table, TargetRun.BARE)).contains("| 2.00× | 0.50× | 1.00× | 1.00× |");
        assertThat(row(table, TargetRun.PING)).contains("| 1.00× | 1.00× | 0.50× | 2.00× |");
        assertThat(row(table, "group-commit")).contains("| 0.70× | 1.50× | 0.35× | 3.00× |");
        assertThat(row(table, TargetRun.BARE)).contains("| n/a |");
    }

    @Test
    void withoutTheBareFrameworkItsColumnsStayEmpty() {
        String table = table(List.of(run(JDK_25, TargetRun.PING, 10_000, 100, ""),
                run(JDK_25, "group-commit", 7_000, 150, ""),
                new TargetRun(JDK_25, "redisson-fair-lock", Optional.empty(), "did not start", -1, "1.0")));

        assertThat(row(table, "group-commit")).contains("| 0.70× | 1.50× | — | — |");
        assertThat(row(table, "redisson-fair-lock")).contains("did not start | — | — | — | — | — | — | 1.0 |");
        assertThat(table.lines().filter(line -> line.startsWith("|")).map(BenchmarkReportTest::cells).distinct())
                .as("every row has as many cells as the header").hasSize(1);
    }

    @Test
    void expectedRefusalsAndKoAreColumnsOfTheirOwn() {
        String table = table(List.of(run(JDK_25, "group-commit", 7_000, 150,
                ", \"COUPON_SOLD_OUT\": 6000, \"PER_USER_LIMIT_REACHED\": 12, \"SERVICE_OVERLOADED\": 3, \"OTHER\": 44",
                "\"503 STORAGE_UNAVAILABLE\": 44")));

        assertThat(row(table, "group-commit"))
                .contains("| COUPON_SOLD_OUT 6,000, PER_USER_LIMIT_REACHED 12 | SERVICE_OVERLOADED 3, 503 STORAGE_UNAVAILABLE 44 |");
    }

    @Test
    void aRunIsOneFileNamedByItsTimeAndCommitWithItsChartsBesideIt(@TempDir Path reports) throws IOException {
        List<TargetRun> runs = List.of(
                run(JDK_17, TargetRun.PING, 3_695, 811, ""), run(JDK_17, "group-commit", 1_733, 738, ""),
                run(JDK_25, TargetRun.PING, 8_128, 6_235, ""), run(JDK_25, "group-commit", 3_589, 385, ""));

        Path report = BenchmarkReport.write(reports, WRK, MACHINE, runs);

        assertThat(report.getFileName()).hasToString("2026-11-30-1035-71b481e.md");
        try (Stream<Path> files = Files.list(reports)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder(
                    "2026-11-30-1035-71b481e.md",
                    "2026-11-30-1035-71b481e-java-17-0-15-platform-threads.svg",
                    "2026-11-30-1035-71b481e-java-25-0-3-virtual-threads.svg");
        }
        String markdown = Files.readString(report);
        assertThat(markdown).startsWith("# Benchmark of 2026-11-30 10:35 UTC, commit 71b481e")
                .contains("| commit | 71b481e |", "| service | coupon-rush-0.1.0-SNAPSHOT.jar, Spring Boot 4.1.2 |",
                        "| service JDKs | " + JDK_17 + "; " + JDK_25 + " |", WRK.command(),
                        "](2026-11-30-1035-71b481e-java-25-0-3-virtual-threads.svg)")
                .contains("| successful answers/s (p99) | " + JDK_17 + " | " + JDK_25 + " |\n|---|---:|---:|\n"
                        + "| ping | 3,695 (811 ms) | 8,128 (6.2 s) |\n| group-commit | 1,733 (738 ms) | 3,589 (385 ms) |");
        assertThat(Files.readString(reports.resolve("2026-11-30-1035-71b481e-java-17-0-15-platform-threads.svg")))
                .startsWith("<svg").contains(">1,733</text>", ">expected refusals</text>");
    }

    @Test
    void aGatlingRunIsNamedAsSuchAndAFailedCheckShowsAtAGlance(@TempDir Path reports) throws IOException {
        LoadConditions gatling = new LoadConditions(LoadConditions.GATLING, 2, 1_000_000, 0, 500, 500, 5, 20, 30,
                List.of("-Xmx512m"), "src/load/scripts/benchmark.sh -Dbench.driver=gatling", "");
        TargetRun unsafe = new TargetRun(JDK_17, "none", Optional.of(new JsonMapper().readTree("""
                {"steady": {"successesPerSecond": 98, "requestsPerSecond": 142, "seconds": 20,
                            "latencyMillis": {"med": 3892, "p95": 4466, "p99": 4723, "max": 5235},
                            "byOutcome": {"SUCCESS": 2694, "OTHER": 874},
                            "others": {"503 STORAGE_UNAVAILABLE": 874}},
                 "integrity": {"verdict": "FAIL", "clientSuccesses": 2694, "unanswered": 0, "rowsAdded": 2694,
                               "issuedCounterChange": 145}}""")), "", 1, "21.19 → 17.41");

        Path report = BenchmarkReport.write(reports, gatling, MACHINE, List.of(unsafe));

        assertThat(report.getFileName()).hasToString("2026-11-30-1035-71b481e-gatling.md");
        assertThat(Files.readString(report)).contains("| none | 98 (4.7 s), KO 874, integrity **FAIL** |",
                "ramped up over 5 s, then 20 s at the peak", "**FAIL** (2,694 = 2,694 rows = 145 counter)");
    }

    private static String table(List<TargetRun> runs) {
        StringBuilder md = new StringBuilder();
        ResultTable.jdkTable(md, runs);
        return md.toString();
    }

    private static String row(String table, String target) {
        return table.lines().filter(line -> line.startsWith("| " + target + " |")).findFirst().orElseThrow();
    }

    private static long cells(String line) {
        return line.chars().filter(c -> c == '|').count();
    }

    /** A steady phase of 20 s with the given rate and p99; {@code outcomes} and {@code others} add JSON entries. */
    private static TargetRun run(String jdk, String target, double okPerSecond, double p99, String outcomes,
                                 String... others) {
        String json = String.format(Locale.ROOT, """
                {"steady": {"successesPerSecond": %s, "requestsPerSecond": %s, "seconds": 20,
                            "latencyMillis": {"med": 10, "p95": 20, "p99": %s, "max": 400},
                            "byOutcome": {"SUCCESS": %d%s}, "others": {%s}}}""", okPerSecond, okPerSecond, p99,
                Math.round(okPerSecond * 20), outcomes, String.join(", ", others));
        return new TargetRun(jdk, target, Optional.of(new JsonMapper().readTree(json)), "", 0, "1.0 → 2.0");
    }
}
