package com.couponrush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.loadtest.bench.Benchmark;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class BenchmarkReportTest {

    private static final String JDK = "Java 25 (virtual threads)";

    @Test
    void everyTargetIsComparedWithTheBareFrameworkAndWithPing() {
        String table = table(List.of(
                run(Benchmark.BARE, 20_000, 50),
                run(Benchmark.PING, 10_000, 100),
                run("group-commit", 7_000, 150)));

        // ok/s ÷ ping | p99 ÷ ping | ok/s ÷ bare | p99 ÷ bare
        assertThat(row(table, Benchmark.BARE)).contains("| 2.00× | 0.50× | 1.00× | 1.00× |");
        assertThat(row(table, Benchmark.PING)).contains("| 1.00× | 1.00× | 0.50× | 2.00× |");
        assertThat(row(table, "group-commit")).contains("| 0.70× | 1.50× | 0.35× | 3.00× |");
        assertThat(row(table, Benchmark.BARE)).contains("| n/a |");
    }

    @Test
    void withoutTheBareFrameworkItsColumnsStayEmpty() {
        String table = table(List.of(run(Benchmark.PING, 10_000, 100), run("group-commit", 7_000, 150),
                new Benchmark.Run(JDK, "redisson-fair-lock", Optional.empty(), "did not start", -1, "1.0")));

        assertThat(row(table, "group-commit")).contains("| 0.70× | 1.50× | — | — |");
        assertThat(row(table, "redisson-fair-lock")).contains("did not start | — | — | — | — | — | — | 1.0 |");
        assertThat(table.lines().filter(line -> line.startsWith("|")).map(BenchmarkReportTest::cells).distinct())
                .as("every row has as many cells as the header").hasSize(1);
    }

    private static String table(List<Benchmark.Run> runs) {
        StringBuilder md = new StringBuilder();
        BenchmarkReport.table(md, runs);
        return md.toString();
    }

    private static String row(String table, String target) {
        return table.lines().filter(line -> line.startsWith("| " + target + " |")).findFirst().orElseThrow();
    }

    private static long cells(String line) {
        return line.chars().filter(c -> c == '|').count();
    }

    private static Benchmark.Run run(String target, double okPerSecond, double p99) {
        String json = String.format(Locale.ROOT, """
                {"steady": {"successesPerSecond": %s, "requestsPerSecond": %s,
                            "latencyMillis": {"med": 10, "p95": 20, "p99": %s, "max": 400},
                            "byOutcome": {"SUCCESS": 1000}, "others": {}}}""", okPerSecond, okPerSecond, p99);
        return new Benchmark.Run(JDK, target, Optional.of(new JsonMapper().readTree(json)), "", 0, "1.0 → 2.0");
    }
}
