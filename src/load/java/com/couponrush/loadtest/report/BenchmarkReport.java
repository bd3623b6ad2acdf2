package com.couponrush.loadtest.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark run as one Markdown file, named by when and at which commit it ran
 * ({@code 2026-11-30-1035-71b481e.md}, {@code …-gatling.md} for the Gatling driver), with one SVG chart per JDK
 * beside it: the run at a glance, the machine and versions, the load and the command, then per JDK a table with
 * every figure (ratios to the two ceilings, the bare framework app and ping, included). Each run writes files of
 * its own, so earlier runs stay there to compare with; docs/benchmarks.md explains how to read them.
 */
public final class BenchmarkReport {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT);
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT);
    private static final Path GUIDE = Path.of("docs", "benchmarks.md");

    private BenchmarkReport() {
    }

    /** @return the report file written into {@code directory} */
    public static Path write(Path directory, LoadConditions load, Machine machine, List<TargetRun> runs) {
        String name = machine.measured().format(FILE_TIME) + "-" + machine.commit() + (load.wrk() ? "" : "-gatling");
        Map<String, List<TargetRun>> byJdk = new LinkedHashMap<>();
        runs.forEach(run -> byJdk.computeIfAbsent(run.jdkLabel(), key -> new ArrayList<>()).add(run));
        Map<String, String> charts = new LinkedHashMap<>();
        byJdk.forEach((jdk, jdkRuns) -> {
            String chart = name + "-" + jdk.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("-+$", "") + ".svg";
            charts.put(jdk, chart);
            writeFile(directory.resolve(chart), Chart.svg(jdk, jdkRuns));
        });
        Path report = directory.resolve(name + ".md");
        String guide = directory.toAbsolutePath().normalize().relativize(GUIDE.toAbsolutePath()).toString();
        writeFile(report, markdown(load, machine, byJdk, charts, guide));
        return report;
    }

    static String markdown(LoadConditions load, Machine machine, Map<String, List<TargetRun>> byJdk,
                           Map<String, String> charts, String guide) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark of ").append(machine.measured().format(SHOWN_TIME)).append(", commit ")
                .append(machine.commit()).append("\n\n");
        md.append("Every target under the same load on one machine, in one run of the benchmark command below with "
                        + "the ").append(load.driver()).append(" driver. **Ratios between targets are the result; "
                        + "absolute figures belong to the machine below**, where the service, PostgreSQL, Redis and the "
                        + "load generator share the same cores. The targets, the columns and how to repeat the run: ")
                .append("[benchmarks.md](").append(guide).append(").\n\n");
        if (!load.note().isBlank()) {
            md.append("> ").append(load.note().trim()).append("\n\n");
        }
        md.append("## At a glance\n\n");
        ResultTable.glance(md, byJdk);
        md.append("\n## Machine and versions\n\n| | |\n|---|---|\n");
        row(md, "measured", machine.measured().format(SHOWN_TIME));
        row(md, "CPU", machine.cpu() + ", " + machine.cores() + " cores (nproc)");
        row(md, "memory", machine.memory());
        row(md, "OS", machine.os());
        row(md, "service JDKs", String.join("; ", byJdk.keySet()));
        row(md, "service", machine.service());
        row(md, "load generator", machine.loadGenerator());
        row(md, "database", machine.database());
        row(md, "Redis", machine.redis());
        row(md, "commit", machine.commit() + (machine.uncommitted() ? " with uncommitted changes" : ""));
        md.append("\n## Load\n\n").append(load.describe()).append("\n\n");
        md.append("```\n").append(load.command()).append("\n```\n");
        byJdk.forEach((jdk, runs) -> {
            md.append("\n## ").append(jdk).append("\n\n");
            ResultTable.jdkTable(md, runs);
            md.append("\n![answers/s by kind and p99 per target, ").append(jdk).append("](").append(charts.get(jdk))
                    .append(")\n");
        });
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static void writeFile(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
