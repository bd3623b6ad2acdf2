package com.couponrush.loadtest.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The waiting line's benchmark as one Markdown file, named like the benchmark's reports with a {@code line-} in
 * front ({@code line-2026-12-06-0840-1d4cad6.md}): the figures per number of instances, the machine and versions,
 * the load and the command, and what limits the figures and how they scale. Generated, never edited.
 */
public final class LineReport {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT);
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT);

    private LineReport() {
    }

    /** Rows (places, decisions, issuances) over the time between the first and the last one's timestamp. */
    public record Span(long count, double seconds) {

        public double perSecond() {
            return seconds > 0 ? count / seconds : 0;
        }
    }

    /**
     * A crowd driven by wrk, one process per instance.
     *
     * @param span      the rows it made, from the database's timestamps
     * @param p50       the median of the instance with the highest median, ms
     * @param p99       the p99 of the instance with the highest p99, ms
     * @param answers   answers by status and reason, all instances together
     * @param ko        KO answers (errors, time-outs, unexplained)
     */
    public record Crowd(Span span, double p50, double p99, long requests, String answers, long ko) {
    }

    /**
     * One number of instances measured.
     *
     * @param heapIdleKib    each instance's heap used after a full GC before any place
     * @param heapHeldKib    the same with every place taken and waiting
     * @param decidedSeconds from the resume's answer to the last place decided, polled
     * @param lineVerdict    the line's integrity check over the held line after its decision
     * @param directVerdict  the integrity check of the direct issuance
     */
    public record Run(int instances, int connections, Crowd places, List<Long> heapIdleKib, List<Long> heapHeldKib,
                      Span decisions, double decidedSeconds, Crowd direct, String lineVerdict, String directVerdict,
                      List<String> problems, String loadAverage) {
    }

    /**
     * @param places   places held, and the direct issuance's stock
     * @param jvmArgs  the service's JVM options ({@code -Xmx…})
     * @param warmup   places of the unmeasured warm-up per number of instances
     */
    public record Conditions(int places, int connections, int warmup, List<String> jvmArgs, String jdk,
                             String command, String note) {
    }

    public static Path write(Path directory, Conditions load, Machine machine, List<Run> runs) {
        String name = "line-" + machine.measured().format(FILE_TIME) + "-" + machine.commit() + ".md";
        Path report = directory.resolve(name);
        String docs = directory.toAbsolutePath().normalize().relativize(Path.of("docs").toAbsolutePath()).toString();
        try {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, markdown(load, machine, runs, docs.isEmpty() ? "." : docs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report;
    }

    /** @param docs the docs directory relative to the report's, for its links */
    static String markdown(Conditions load, Machine machine, List<Run> runs, String docs) {
        StringBuilder md = new StringBuilder();
        md.append("# The waiting line's benchmark of ").append(machine.measured().format(SHOWN_TIME))
                .append(", commit ").append(machine.commit()).append("\n\n");
        md.append("One run of the command below on one machine, where the service instances, PostgreSQL and the load "
                + "generator share the same cores: **absolute figures belong to this machine; the comparisons within "
                + "the run (one instance against three, the line's decisions against direct issuance) are the "
                + "result.** The line: [line.md](" + docs + "/line.md); the tools: [load-testing.md](" + docs
                + "/load-testing.md#4-the-waiting-line).\n\n");
        if (!load.note().isBlank()) {
            md.append("> ").append(load.note().trim()).append("\n\n");
        }
        md.append("## At a glance\n\n");
        md.append("| instances | places/s | join p99 | heap used after GC, idle → ").append(count(load.places()))
                .append(" places held | decisions/s | direct issuance issued/s | issue p99 | decisions ÷ direct "
                        + "| line check | direct check |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run run : runs) {
            md.append("| ").append(run.instances())
                    .append(" | ").append(rate(run.places().span()))
                    .append(" | ").append(ms(run.places().p99()))
                    .append(" | ").append(heap(run))
                    .append(" | ").append(rate(run.decisions()))
                    .append(" | ").append(rate(run.direct().span()))
                    .append(" | ").append(ms(run.direct().p99()))
                    .append(" | ").append(run.direct().span().perSecond() > 0 ? String.format(Locale.ROOT, "%.2f",
                            run.decisions().perSecond() / run.direct().span().perSecond()) : "–")
                    .append(" | ").append(run.lineVerdict())
                    .append(" | ").append(run.directVerdict()).append(" |\n");
        }
        if (runs.size() > 1) {
            Run first = runs.get(0);
            md.append("\n");
            for (Run other : runs.subList(1, runs.size())) {
                md.append(String.format(Locale.ROOT, "%d instances against %d: places/s ×%.2f, decisions/s ×%.2f, "
                                + "direct issued/s ×%.2f.%n", other.instances(), first.instances(),
                        ratio(other.places().span(), first.places().span()), ratio(other.decisions(), first.decisions()),
                        ratio(other.direct().span(), first.direct().span())));
            }
        }
        md.append("\n- **places/s**: places given while the crowd joins a paused coupon's line (`POST /api/v1/coupons/"
                + "{id}/line`, every person once), the places over the time from the first place's `created_at` to "
                + "the last one's; **join p99** from wrk, the slowest instance's.\n");
        md.append("- **heap used after GC**: each instance's, `jcmd <pid> GC.run` then `GC.heap_info`, before the "
                + "crowd (after the warm-up, whose places the instances still know) and with every place taken and "
                + "waiting (the coupon paused); the service runs with `")
                .append(String.join(" ", load.jvmArgs())).append("`.\n");
        md.append("- **decisions/s**: the coupon resumed, every place decided (all within the stock, so all issued), "
                + "the places over the time from the first `decided_at` to the last.\n");
        md.append("- **direct issuance**: the same people, a fresh coupon of the same stock and per-user limit, "
                + "`POST /api/v1/user-coupon` through the group-commit engine until it sold out; rows over the time "
                + "from the first row's `created_at` to the last one's.\n");
        md.append("- **line check**: the line's integrity check over the held line once decided (places 1..N without "
                + "a gap, issuance order = place order, exactly N issued, counter = rows); **direct check**: the "
                + "load test's integrity check of the direct issuance.\n");

        md.append("\n## Machine and versions\n\n| | |\n|---|---|\n");
        row(md, "measured", machine.measured().format(SHOWN_TIME));
        row(md, "CPU", machine.cpu() + ", " + machine.cores() + " cores (nproc)");
        row(md, "memory", machine.memory());
        row(md, "OS", machine.os());
        row(md, "service JDK", load.jdk());
        row(md, "service", machine.service());
        row(md, "load generator", machine.loadGenerator().replaceAll(", \\d+ threads$", "")
                + ", one wrk process of one thread per instance");
        row(md, "database", machine.database());
        row(md, "commit", machine.commit() + (machine.uncommitted() ? " with uncommitted changes" : ""));

        md.append("\n## Load\n\n");
        md.append(String.format(Locale.ROOT, "%s people, each an account inserted into the service's database by SQL "
                        + "with an access token signed with the service's JWT secret (the sign-in's claims), not signed up "
                        + "through the API: a hundred thousand BCrypt sign-ups would be the run's whole time. %,d "
                        + "connections, split evenly over the instances (rounded down), one wrk process with one thread per instance, "
                        + "its share of the people each used once before any again. Per number of instances, the "
                        + "services started fresh on one database, then an unmeasured warm-up of the same three phases "
                        + "with %,d places, then the measured phases, each on a fresh coupon (quantity %,d, per-user "
                        + "limit 1): the crowd joins the paused coupon's line; the heap with every place held; the "
                        + "coupon resumed and the line decided; the crowd issues a fresh coupon directly. The service "
                        + "runs with `%s` and its defaults otherwise (group-commit engine, `coupon.issuance.line.*` as "
                        + "in [line.md](%s/line.md#settings-couponissuanceline-defaults-in-lineproperties)).",
                count(load.places()), load.connections(), load.warmup(), load.places(), String.join(" ", load.jvmArgs()), docs));
        md.append("\n\n```\n").append(load.command()).append("\n```\n");

        md.append("\n## Each phase\n\n");
        md.append("| instances | phase | rows | seconds | rows/s | requests | p50 | p99 | answers | KO | load avg |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run run : runs) {
            crowdRow(md, run, "places", run.places());
            md.append("| ").append(run.instances()).append(" | decisions | ").append(count(run.decisions().count()))
                    .append(" | ").append(seconds(run.decisions().seconds())).append(" | ").append(rate(run.decisions()))
                    .append(" | – | – | – | all decided ").append(seconds(run.decidedSeconds()))
                    .append(" s after the resume | – | ").append(run.loadAverage()).append(" |\n");
            crowdRow(md, run, "direct", run.direct());
        }
        md.append("\nHeap used after a full GC per instance, KiB: ");
        md.append(runs.stream().map(run -> run.instances() + " instance" + (run.instances() == 1 ? "" : "s") + ": idle "
                + run.heapIdleKib() + ", places held " + run.heapHeldKib()).collect(Collectors.joining("; ")));
        md.append(".\n");
        List<String> problems = runs.stream().flatMap(run -> run.problems().stream()
                .map(problem -> run.instances() + " instance(s): " + problem)).toList();
        if (!problems.isEmpty()) {
            md.append("\n**Problems**:\n\n");
            problems.forEach(problem -> md.append("- ").append(problem).append("\n"));
        }

        md.append("\n## How it scales\n\n");
        md.append("- **Places/s of one coupon** are bounded by the line's one row: every batch of joins is one "
                + "transaction that locks the coupon's `waiting_line` row, reads the users' places, inserts the new "
                + "ones and moves `next_place`. On one instance one joiner thread serves a coupon at a time; across "
                + "instances their batches queue on that row. A batch carries up to `max-join-batch` places, so under "
                + "a crowd the rate is batches per second × batch size, and a batch's time is the database's: a few "
                + "statements and one commit (its WAL flush).\n");
        md.append("- **Decisions/s of one coupon** are bounded by the coupon's row: each decision transaction locks "
                + "the coupon row, then the line row, and decides up to `max-batch` places (one multi-row insert, the "
                + "counter, the outcomes). Every instance's decider takes that same lock, so one coupon's decision "
                + "transactions run one at a time. More deciders keep that lock busier: the next transaction already "
                + "waits at the lock while one commits, instead of starting after a single decider has read the "
                + "open lines again; against that, the deciders share the machine's cores with the database. The "
                + "ratio above is the net of both on this machine; no number of instances makes the locked "
                + "transaction itself shorter. Direct issuance goes through the same "
                + "coupon row lock with the engine's batches; both are a commit per batch on one row.\n");
        md.append("- **Adding instances** (here on the same cores) adds what each request costs outside the database — "
                + "HTTP, JSON, token checks, answering positions from memory, streams — and divides the places each "
                + "instance keeps in memory (`max-known-places`), but not the per-coupon rates above: those are one "
                + "row's commits. On one machine the instances also share its cores with PostgreSQL, so they compete "
                + "with the database they wait for.\n");
        md.append("- **Adding machines** moves that per-request work off the database's machine, which helps as long "
                + "as the instances, not the rows, are what is full. A faster commit (the database's disk and its "
                + "`synchronous_commit`/group commit), larger batches, or more coupons (each its own pair of rows, "
                + "decided independently) are what raise the per-coupon and total ceilings.\n");
        md.append("- **Memory**: a held place is a `waiting_place` row; an instance keeps at most `max-known-places` "
                + "places it gave or was asked about, whatever the crowd, so the heap above is bounded by that "
                + "setting, not by the line's length.\n");
        return md.toString();
    }

    private static void crowdRow(StringBuilder md, Run run, String phase, Crowd crowd) {
        md.append("| ").append(run.instances()).append(" | ").append(phase).append(" | ")
                .append(count(crowd.span().count())).append(" | ").append(seconds(crowd.span().seconds()))
                .append(" | ").append(rate(crowd.span())).append(" | ").append(count(crowd.requests()))
                .append(" | ").append(ms(crowd.p50())).append(" | ").append(ms(crowd.p99()))
                .append(" | ").append(crowd.answers()).append(" | ").append(crowd.ko())
                .append(" | ").append(run.loadAverage()).append(" |\n");
    }

    private static double ratio(Span span, Span base) {
        return base.perSecond() > 0 ? span.perSecond() / base.perSecond() : 0;
    }

    private static String heap(Run run) {
        long idle = run.heapIdleKib().stream().mapToLong(Long::longValue).max().orElse(0);
        long held = run.heapHeldKib().stream().mapToLong(Long::longValue).max().orElse(0);
        return String.format(Locale.ROOT, "%.0f MiB → %.0f MiB%s", idle / 1024.0, held / 1024.0,
                run.instances() > 1 ? " (the largest instance)" : "");
    }

    private static String rate(Span span) {
        return String.format(Locale.ROOT, "%,.0f", span.perSecond());
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f ms", value);
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
