package com.couponrush.loadtest.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The report's tables: one line per target and JDK at a glance, and each JDK's table with every figure. */
final class ResultTable {

    private ResultTable() {
    }

    /** Successful answers/s and p99 of every target on every JDK, with what went wrong where something did. */
    static void glance(StringBuilder md, Map<String, List<TargetRun>> byJdk) {
        md.append("| successful answers/s (p99) |");
        byJdk.keySet().forEach(jdk -> md.append(' ').append(jdk).append(" |"));
        md.append("\n|---|").append("---:|".repeat(byJdk.size())).append('\n');
        List<String> targets = byJdk.values().stream().flatMap(List::stream).map(TargetRun::target).distinct().toList();
        for (String target : targets) {
            md.append("| ").append(target).append(" |");
            for (List<TargetRun> runs : byJdk.values()) {
                md.append(' ').append(runs.stream().filter(run -> run.target().equals(target)).findFirst()
                        .map(ResultTable::glanceCell).orElse("—")).append(" |");
            }
            md.append('\n');
        }
    }

    private static String glanceCell(TargetRun run) {
        if (run.steady().isEmpty()) {
            return "did not run";
        }
        Steady steady = run.steady().get();
        StringBuilder cell = new StringBuilder(number(steady.successesPerSecond()))
                .append(" (").append(duration(steady.p99())).append(')');
        if (steady.failureCount() > 0) {
            cell.append(", KO ").append(String.format(Locale.ROOT, "%,d", steady.failureCount()));
        }
        if (verdict(run.result().get()).equals("FAIL")) {
            cell.append(", integrity **FAIL**");
        }
        return cell.toString();
    }

    static void jdkTable(StringBuilder md, List<TargetRun> runs) {
        Optional<Steady> ping = steadyOf(runs, TargetRun.PING);
        Optional<Steady> bare = steadyOf(runs, TargetRun.BARE);
        md.append("| target | ok/s | req/s | p50 ms | p95 ms | p99 ms | max ms | expected refusals | KO | integrity "
                + "| fairness inversions | ok/s ÷ ping | p99 ÷ ping | ok/s ÷ bare | p99 ÷ bare | load avg |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|---|---|---|---:|---:|---:|---:|---|\n");
        for (TargetRun run : runs) {
            md.append("| ").append(run.target());
            if (run.steady().isEmpty()) {
                md.append(" | — | — | — | — | — | — | — | ").append(run.problem().replace("|", "/"))
                        .append(" | — | — | — | — | — | — | ").append(run.loadAverage()).append(" |\n");
                continue;
            }
            Steady steady = run.steady().get();
            md.append(" | ").append(number(steady.successesPerSecond()))
                    .append(" | ").append(number(steady.requestsPerSecond()))
                    .append(" | ").append(millis(steady.latency("med")))
                    .append(" | ").append(millis(steady.latency("p95")))
                    .append(" | ").append(millis(steady.p99()))
                    .append(" | ").append(millis(steady.latency("max")))
                    .append(" | ").append(steady.expectedRefusals())
                    .append(" | ").append(steady.failures())
                    .append(" | ").append(integrity(run.result().get()))
                    .append(" | ").append(run.ceiling() ? "n/a" : steady.fairness())
                    .append(" | ").append(ratios(steady, ping))
                    .append(" | ").append(ratios(steady, bare))
                    .append(" | ").append(run.loadAverage())
                    .append(" |\n");
        }
    }

    private static Optional<Steady> steadyOf(List<TargetRun> runs, String target) {
        return runs.stream().filter(run -> run.target().equals(target)).flatMap(run -> run.steady().stream())
                .findFirst();
    }

    /** "ok/s ÷ base | p99 ÷ base", or dashes when the base did not run. */
    private static String ratios(Steady steady, Optional<Steady> base) {
        return base.map(b -> ratio(steady.successesPerSecond(), b.successesPerSecond()) + " | "
                + ratio(steady.p99(), b.p99())).orElse("— | —");
    }

    private static String verdict(JsonNode result) {
        return result.path("integrity").path("verdict").asString("n/a");
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
        return "**" + verdict(result) + "** (" + figures + ")";
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String millis(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** "738 ms", "4.4 s". */
    static String duration(double millis) {
        return millis >= 1000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000)
                : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static String ratio(double value, double base) {
        return base <= 0 ? "—" : String.format(Locale.ROOT, "%.2f×", value / base);
    }
}
