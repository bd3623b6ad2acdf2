package com.couponrush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReportTest {

    private static final Machine MACHINE = new Machine(ZonedDateTime.of(2026, 12, 6, 8, 40, 0, 0, ZoneOffset.UTC),
            "AMD EPYC", 2, "23.5 GiB", "Linux 6.18", "coupon-rush-0.1.0-SNAPSHOT.jar, Spring Boot 4.1.2",
            "wrk 4.1.0 with src/load/scripts/wrk.lua, 1 threads", "PostgreSQL 15.20", "7.0.15", "1d4cad6", false);

    @Test
    void oneFileNamedByTimeAndCommitWithEveryNumberOfInstancesAndTheRatioToDirectIssuance(@TempDir Path reports)
            throws IOException {
        LineReport.Crowd places = new LineReport.Crowd(new LineReport.Span(100_000, 40), 80, 300, 100_400,
                "IN_LINE 100400", 0);
        LineReport.Crowd direct = new LineReport.Crowd(new LineReport.Span(100_000, 25), 60, 200, 101_000,
                "SUCCESS 100000, PER_USER_LIMIT_REACHED 1000", 0);
        List<LineReport.Run> runs = List.of(
                new LineReport.Run(1, 500, places, List.of(60_000L), List.of(90_000L),
                        new LineReport.Span(100_000, 10), 10.2, direct, "PASS", "PASS", List.of(), "0.5 → 1.9"),
                new LineReport.Run(3, 500, places, List.of(60_000L, 61_000L, 62_000L),
                        List.of(70_000L, 71_000L, 72_000L), new LineReport.Span(100_000, 20), 20.1, direct, "PASS",
                        "FAIL", List.of("direct check: lost a row"), "0.4 → 2.0"));

        Path report = LineReport.write(reports, new LineReport.Conditions(100_000, 500, 20_000, List.of("-Xmx512m"),
                "Java 17.0.15 (platform threads)", "src/load/scripts/line-benchmark.sh", ""), MACHINE, runs);

        assertThat(report.getFileName()).hasToString("line-2026-12-06-0840-1d4cad6.md");
        String markdown = Files.readString(report);
        assertThat(markdown).startsWith("# The waiting line's benchmark of 2026-12-06 08:40 UTC, commit 1d4cad6")
                .contains("| 1 | 2,500 | 300 ms | 59 MiB → 88 MiB | 10,000 | 4,000 | 200 ms | 2.50 | PASS | PASS |")
                .contains("| 3 | 2,500 | 300 ms | 61 MiB → 70 MiB (the largest instance) | 5,000 | 4,000 | 200 ms | 1.25"
                        + " | PASS | FAIL |")
                .contains("- 3 instance(s): direct check: lost a row")
                .contains("3 instances against 1: places/s ×1.00, decisions/s ×0.50, direct issued/s ×1.00.")
                .contains("`-Xmx512m`", "## How it scales", "one wrk process of one thread per instance")
                .doesNotContain("1 threads");
    }
}
