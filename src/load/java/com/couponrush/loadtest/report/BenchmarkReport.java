package com.couponrush.loadtest.report;

import com.couponrush.loadtest.bench.Benchmark;
import com.couponrush.loadtest.tally.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * docs/benchmarks.md from a benchmark's runs: per JDK a table (steady phase after the ramp) and an SVG chart of
 * throughput and p99 per target, with ratios to the two ceilings: the bare framework app (what Spring Boot's web
 * stack alone serves) and ping (what this service serves without the database).
 */
public final class BenchmarkReport {

    private static final String KEPT_SECTION_MARK = "does not regenerate this section";

    private BenchmarkReport() {
    }

    public record Environment(String when, String cpu, int cores, String memory, String os, String loadGeneratorJdk,
                       String database, String redis, String wrk, String commit) {

        public static Environment probe(Benchmark.Settings settings, String databaseUrl) {
            return new Environment(
                    ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                    firstMatching(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")),
                    Runtime.getRuntime().availableProcessors(),
                    firstMatching(Path.of("/proc/meminfo"), "MemTotal")
                            .map(line -> String.format(Locale.ROOT, "%.1f GiB",
                                    Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                            .orElse("unknown"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    "Java " + System.getProperty("java.version"),
                    Benchmark.query(settings.adminJdbcUrl(), settings, "SELECT VERSION()"),
                    Benchmark.redisVersion(),
                    run(List.of("sh", "-c", "wrk --version 2>&1; true"))
                            .flatMap(output -> output.lines().findFirst())
                            .map(line -> line.replaceAll("\\s*\\[.*", "").trim()).orElse("wrk"),
                    run(List.of("git", "rev-parse", "--short", "HEAD")).orElse("unknown"));
        }
    }

    /** "Java 17.0.15 (platform threads)" or "Java 25 (virtual threads)": the service's JDK, as the runs are labelled. */
    public static String jdkLabel(Path jdk) {
        String version = run(List.of(jdk.resolve("bin").resolve("java").toString(), "-version"))
                .flatMap(output -> output.lines().filter(line -> line.contains("version")).findFirst())
                .map(line -> line.replaceAll(".*version \"([^\"]+)\".*", "$1"))
                .orElse(jdk.getFileName().toString());
        int major = Integer.parseInt(version.split("[.+-]")[0]);
        return "Java " + version + (major >= 21 ? " (virtual threads)" : " (platform threads)");
    }

    public static void write(Benchmark.Settings settings, Environment environment, List<Benchmark.Run> runs) {
        Map<String, List<Benchmark.Run>> byJdk = new LinkedHashMap<>();
        runs.forEach(run -> byJdk.computeIfAbsent(run.jdkLabel(), key -> new ArrayList<>()).add(run));
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Every issuance strategy under the same load, on the same machine, in one run of the benchmark command "
                + "(docs/load-testing.md). **Ratios between strategies are the result; absolute figures belong to "
                + "the machine below**, where the service, PostgreSQL, Redis and the load generator share "
                + "the same cores.\n\n");
        String note = System.getProperty("bench.note", "").trim();
        if (!note.isEmpty()) {
            md.append("> ").append(note).append("\n\n");
        }
        md.append("## Machine and versions\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "measured", environment.when());
        row(md, "CPU", environment.cpu() + ", " + environment.cores() + " cores (nproc)");
        row(md, "memory", environment.memory());
        row(md, "OS", environment.os());
        row(md, "service JDKs", String.join("; ", byJdk.keySet()));
        row(md, "load generator", settings.wrk()
                ? environment.wrk() + " with src/load/scripts/wrk.lua, " + settings.wrkThreads() + " threads"
                : "Gatling 3.13.5 on " + environment.loadGeneratorJdk());
        row(md, "database", environment.database().replace("|", "/"));
        row(md, "Redis", environment.redis());
        row(md, "commit", environment.commit());
        md.append("\n## Load\n\n");
        md.append(String.format(Locale.ROOT, "One hot coupon (quantity %,d, per-user limit %s) freshly created for each "
                        + "run; %,d accounts signed up through the API once and shared by all runs; %d %s "
                        + "(one keep-alive connection each, no think time, each request with the next account's token) "
                        + "%s. Before it, each freshly started service gets %d s of the same load as a warm-up that "
                        + "is not measured. The service runs with `%s`.%n%n",
                settings.quantity(), settings.perUserLimit() == 0 ? "unlimited" : settings.perUserLimit(),
                settings.users(), settings.virtualUsers(),
                settings.wrk() ? "connections" : "virtual users",
                settings.ramped() ? String.format(Locale.ROOT, "ramped up over %d s, then %d s at the peak; figures "
                        + "are from the %d s at the peak", settings.rampSeconds(), settings.holdSeconds(),
                        settings.holdSeconds())
                        : String.format(Locale.ROOT, "all open from the start for %d s", settings.holdSeconds()),
                settings.warmupSeconds(), String.join(" ", settings.serviceJvmArgs())));
        md.append("`" + Benchmark.BARE + "` is the same `POST /api/v1/user-coupon` (the JSON body, the HS256 token "
                + "verified by Nimbus JOSE) answered by an app of the same Spring Boot version with only Tomcat, Spring "
                + "MVC and Jackson — no Spring Security, database, actuator or metrics — on the same JDK, JVM options "
                + "and Tomcat settings: the ceiling of the framework on this machine. `ping` is `GET /api/v1/auth/ping`: "
                + "JWT verification and the JSON envelope, no database work — the HTTP ceiling of this service. The "
                + "ratio columns compare each target's successful answers/s and p99 with each ceiling (÷ bare for ping "
                + "and the strategies: what the service's own layers leave of the framework's throughput).\n\n");
        md.append("Command:\n\n```\n").append(settings.command()).append("\n```\n");
        for (Map.Entry<String, List<Benchmark.Run>> jdk : byJdk.entrySet()) {
            String svg = settings.output().getFileName().toString().replaceAll("\\.md$", "") + "-"
                    + jdk.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-+$", "")
                    + ".svg";
            md.append("\n## ").append(jdk.getKey()).append("\n\n");
            table(md, jdk.getValue());
            md.append("\n![throughput and p99 per strategy, ").append(jdk.getKey()).append("](").append(svg)
                    .append(")\n");
            writeFile(settings.output().toAbsolutePath().getParent().resolve(svg), Chart.svg(jdk.getKey(), jdk.getValue()));
        }
        md.append("\nColumns: *ok/s* successful answers per second (issuances; for ping and the bare framework, "
                + "answers); *req/s* all answers per second; latencies as the client measured them; *refusals and "
                + "errors* every non-200 by its `reason`; *integrity* the automatic check (client successes = new "
                + "user_coupon rows = issued counter change = drop in remaining ≤ quantity, nobody above the per-user "
                + "limit; requests still in flight when wrk stopped are *unanswered*: the server may issue them, so "
                + "they may add rows); *fairness inversions* sold-out refusals to requests sent before a request that "
                + "then won (client clock, only when the coupon sold out during the run); *÷ ping*, *÷ bare* the "
                + "target's ok/s and p99 divided by those of ping and of the bare framework in the same table; *load "
                + "avg* the machine's 1-minute load average before → after the run (its runnable threads, the service's own included: with 200 platform threads busy it "
                + "stays far above the 2 cores). "
                + (settings.wrk()
                ? "wrk measures latency from the first byte sent to the last byte read and cannot order answers "
                + "across connections, so fairness is measured by the Gatling driver (docs/benchmarks-gatling.md) "
                + "and FairnessIT.\n"
                : "Gatling's HTML report of each run is in target/gatling/ of the machine that ran it.\n"));
        md.append(keptSections(settings.output()));
        writeFile(settings.output(), md.toString());
    }

    static void table(StringBuilder md, List<Benchmark.Run> runs) {
        Optional<JsonNode> ping = steady(runs, Benchmark.PING);
        Optional<JsonNode> bare = steady(runs, Benchmark.BARE);
        md.append("| target | ok/s | req/s | p50 ms | p95 ms | p99 ms | max ms | refusals and errors | integrity "
                + "| fairness inversions | ok/s ÷ ping | p99 ÷ ping | ok/s ÷ bare | p99 ÷ bare | load avg |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|---:|---|\n");
        for (Benchmark.Run run : runs) {
            if (run.result().isEmpty()) {
                md.append("| ").append(run.target()).append(" | — | — | — | — | — | — | ")
                        .append(run.problem().replace("|", "/")).append(" | — | — | — | — | — | — | ")
                        .append(run.loadAverage()).append(" |\n");
                continue;
            }
            JsonNode result = run.result().get();
            JsonNode steady = result.path("steady");
            JsonNode latency = steady.path("latencyMillis");
            md.append("| ").append(run.target())
                    .append(" | ").append(number(steady.path("successesPerSecond").asDouble()))
                    .append(" | ").append(number(steady.path("requestsPerSecond").asDouble()))
                    .append(" | ").append(millis(latency.path("med").asDouble()))
                    .append(" | ").append(millis(latency.path("p95").asDouble()))
                    .append(" | ").append(millis(latency.path("p99").asDouble()))
                    .append(" | ").append(millis(latency.path("max").asDouble()))
                    .append(" | ").append(refusals(steady))
                    .append(" | ").append(integrity(result))
                    .append(" | ").append(Benchmark.isCeiling(run.target()) ? "n/a" : fairness(steady))
                    .append(" | ").append(ratios(steady, ping))
                    .append(" | ").append(ratios(steady, bare))
                    .append(" | ").append(run.loadAverage())
                    .append(" |\n");
        }
    }

    private static Optional<JsonNode> steady(List<Benchmark.Run> runs, String target) {
        return runs.stream().filter(run -> run.target().equals(target)).flatMap(run -> run.result().stream())
                .findFirst().map(result -> result.path("steady"));
    }

    /** "ok/s ÷ base | p99 ÷ base", or dashes when the base did not run. */
    private static String ratios(JsonNode steady, Optional<JsonNode> base) {
        return base.map(b -> ratio(steady.path("successesPerSecond").asDouble(),
                        b.path("successesPerSecond").asDouble())
                        + " | " + ratio(steady.path("latencyMillis").path("p99").asDouble(),
                        b.path("latencyMillis").path("p99").asDouble()))
                .orElse("— | —");
    }

    private static String refusals(JsonNode steady) {
        List<String> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> outcomes = steady.path("byOutcome").properties().iterator();
        while (outcomes.hasNext()) {
            Map.Entry<String, JsonNode> outcome = outcomes.next();
            if (!outcome.getKey().equals(Outcome.SUCCESS.name()) && outcome.getValue().asLong() > 0) {
                parts.add(outcome.getKey() + " " + String.format(Locale.ROOT, "%,d", outcome.getValue().asLong()));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> others = steady.path("others").properties().iterator();
        while (others.hasNext()) {
            Map.Entry<String, JsonNode> other = others.next();
            parts.add("(" + other.getKey() + ": " + other.getValue().asLong() + ")");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String integrity(JsonNode result) {
        JsonNode integrity = result.path("integrity");
        if (integrity.isMissingNode()) {
            return "n/a";
        }
        long unanswered = integrity.path("unanswered").asLong();
        String figures = String.format(Locale.ROOT, "%,d%s %s %,d rows = %,d counter",
                integrity.path("clientSuccesses").asLong(),
                unanswered > 0 ? String.format(Locale.ROOT, " ok + ≤ %,d unanswered", unanswered) : "",
                unanswered > 0 ? "→" : "=", integrity.path("rowsAdded").asLong(),
                integrity.path("issuedCounterChange").asLong());
        return "**" + integrity.path("verdict").asString() + "** (" + figures + ")";
    }

    private static String fairness(JsonNode steady) {
        JsonNode fairness = steady.path("fairness");
        if (!fairness.path("applicable").asBoolean()) {
            return "n/a (not sold out or not measurable)";
        }
        return String.format(Locale.ROOT, "%,d (%,d pairs)", fairness.path("invertedRefusals").asLong(),
                fairness.path("invertedPairs").asLong());
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String millis(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ratio(double value, double base) {
        return base <= 0 ? "—" : String.format(Locale.ROOT, "%.2f×", value / base);
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static Optional<String> firstMatching(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? Optional.of(output)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Sections measured by hand (the sustained memory run) that a new benchmark run must not wipe out:
     * everything from the first heading that says it is not regenerated.
     */
    static String keptSections(Path report) {
        try {
            String existing = Files.exists(report) ? Files.readString(report) : "";
            int kept = existing.indexOf(KEPT_SECTION_MARK);
            return kept < 0 ? "" : "\n" + existing.substring(existing.lastIndexOf("\n## ", kept) + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
