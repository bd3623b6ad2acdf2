package com.couponrush.loadtest;

import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.fixture.LoadFixture;
import com.couponrush.loadtest.integrity.IntegrityCheck;
import com.couponrush.loadtest.integrity.JdbcTarget;
import com.couponrush.loadtest.integrity.LineIntegrityCheck;
import com.couponrush.loadtest.tally.LoadTally;
import com.couponrush.loadtest.tally.Outcome;
import com.couponrush.loadtest.tally.Summary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One load run from data to verdict, whatever drives the requests (Gatling, or the plain-Java driver in the
 * integration test): prepare the accounts and the coupon, take the integrity baseline, count every answer
 * while printing progress, then print the k6-style summary and the integrity verdict and write them as JSON.
 */
public final class LoadRun {

    private static final long PROGRESS_SECONDS = 5;
    private static final Duration SETTLE_POLL = Duration.ofMillis(250);
    private static final int SETTLED_POLLS = 8;
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);

    private final LoadOptions options;
    private final CouponRushApi api;
    private final LoadFixture.Fixture fixture;
    private final IntegrityCheck integrity;
    private final Optional<IntegrityCheck.Baseline> baseline;
    private final PrintStream out;
    private final LoadTally tally = new LoadTally();
    private ScheduledExecutorService progress;
    private List<LineIntegrityCheck.Answer> lineAnswers = List.of();
    private volatile long startedAtMillis;

    private LoadRun(LoadOptions options, CouponRushApi api, LoadFixture.Fixture fixture, PrintStream out) {
        this.options = options;
        this.api = api;
        this.fixture = fixture;
        this.out = out;
        this.integrity = new IntegrityCheck(api, options.jdbc());
        this.baseline = fixture.couponId().map(integrity::baseline);
    }

    public static LoadRun prepare(LoadOptions options, PrintStream out) {
        CouponRushApi api = new CouponRushApi(options.baseUrl());
        return new LoadRun(options, api, LoadFixture.prepare(options, api, out), out);
    }

    /**
     * The run's result: k6 totals over everything, the steady phase after the ramp, the verdict, and for the line
     * target the line's verdict.
     */
    public record Report(Summary total, Summary steady, Optional<IntegrityCheck.Verdict> verdict,
                         Optional<LineIntegrityCheck.Verdict> line) {

        public boolean passed() {
            return verdict.map(IntegrityCheck.Verdict::pass).orElse(true)
                    && line.map(LineIntegrityCheck.Verdict::pass).orElse(true);
        }

        public String verdictWord() {
            return verdict.isEmpty() && line.isEmpty() ? "n/a" : passed() ? "PASS" : "FAIL";
        }
    }

    public LoadOptions options() {
        return options;
    }

    public CouponRushApi api() {
        return api;
    }

    public LoadTally tally() {
        return tally;
    }

    public List<LoadFixture.Account> accounts() {
        return fixture.accounts();
    }

    public long couponId() {
        return fixture.couponId().orElseThrow(() -> new IllegalStateException("a ping run has no coupon"));
    }

    /** Called when the first request is about to leave; the ramp and the hold are counted from here. */
    public synchronized void start() {
        if (startedAtMillis != 0) {
            return;
        }
        startedAtMillis = System.currentTimeMillis();
        progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "load-progress");
            thread.setDaemon(true);
            return thread;
        });
        long[] last = {0, 0, startedAtMillis};
        progress.scheduleAtFixedRate(() -> {
            long now = System.currentTimeMillis();
            long requests = tally.requests();
            long successes = tally.count(Outcome.SUCCESS);
            double seconds = Math.max(1, now - last[2]) / 1000.0;
            out.printf(Locale.ROOT, "[progress] %3d s of %d s: %,d requests (%,d ok), now %,.0f req/s, %,.0f ok/s%n",
                    (now - startedAtMillis) / 1000, options.duration().toSeconds(), requests, successes,
                    (requests - last[0]) / seconds, (successes - last[1]) / seconds);
            last[0] = requests;
            last[1] = successes;
            last[2] = now;
        }, PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public long rampEndMillis() {
        return startedAtMillis + options.ramp().toMillis();
    }

    public long deadlineMillis() {
        return startedAtMillis + options.duration().toMillis();
    }

    public boolean beforeDeadline() {
        return System.currentTimeMillis() < deadlineMillis();
    }

    public void record(Outcome outcome, long startedAtMillis, long latencyMicros, String detail) {
        tally.record(outcome, startedAtMillis, latencyMicros, detail);
    }

    public Report finish() {
        if (progress != null) {
            progress.shutdownNow();
        }
        long end = Math.max(deadlineMillis(), startedAtMillis + 1);
        Summary all = tally.summarize(startedAtMillis, Long.MAX_VALUE / 2);
        Summary total = new Summary(all.requests(), Math.max(1, System.currentTimeMillis() - startedAtMillis) / 1000.0,
                all.byOutcome(), all.others(), all.latency(), all.fairness());
        Summary steady = options.ramp().isZero() ? total : tally.summarize(rampEndMillis(), end);
        return conclude(total, steady, total.successes(), total.unanswered(), Optional.empty());
    }

    /**
     * The end of the line's scenario ({@code LineDriver}): the joins' summary, the integrity verdict with the people
     * told ISSUED as the client's successes, and the line's verdict over every person's last answer.
     *
     * @param answers each person's last answer, in the order of the accounts
     */
    public Report finishLine(List<LineIntegrityCheck.Answer> answers) {
        if (progress != null) {
            progress.shutdownNow();
        }
        Summary all = tally.summarize(startedAtMillis, Long.MAX_VALUE / 2);
        Summary joins = new Summary(all.requests(), Math.max(1, System.currentTimeMillis() - startedAtMillis) / 1000.0,
                all.byOutcome(), all.others(), all.latency(), all.fairness());
        lineAnswers = List.copyOf(answers);
        long toldIssued = answers.stream().filter(answer -> "ISSUED".equals(answer.status())).count();
        long undecided = answers.stream().filter(answer -> answer.status() == null
                || "WAITING".equals(answer.status())).count();
        return conclude(joins, joins, toldIssued, undecided, Optional.of(answers));
    }

    /**
     * The end of a run driven by a tool that counts answers itself (wrk) instead of recording them here. Such a
     * tool stops with requests still in flight, which the server goes on deciding: the verdict waits until the
     * coupon's counter has stopped moving, or it would compare rows and counter in the middle of a commit.
     *
     * @param unanswered requests whose outcome the client never learnt, which the server may have issued
     */
    public Report finish(Summary measured, long unanswered) throws InterruptedException {
        if (unanswered > 0 && fixture.couponId().isPresent()) {
            awaitSettled(fixture.couponId().get());
        }
        return conclude(measured, measured, measured.successes(), unanswered, Optional.empty());
    }

    private void awaitSettled(long couponId) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        long issued = api.coupon(couponId).issuedCount();
        int unchanged = 0;
        while (unchanged < SETTLED_POLLS && System.nanoTime() < deadline) {
            Thread.sleep(SETTLE_POLL.toMillis());
            long now = api.coupon(couponId).issuedCount();
            unchanged = now == issued ? unchanged + 1 : 0;
            issued = now;
        }
    }

    /**
     * @param successes  issuances the client was told of
     * @param unanswered requests whose outcome the client never learnt; answers that leave it open (outcome
     *                   unknown, a place in the line) are added here
     * @param answers    the line's people, for its own verdict
     */
    private Report conclude(Summary total, Summary steady, long successes, long unanswered,
                            Optional<List<LineIntegrityCheck.Answer>> answers) {
        String what = options.line() ? "POST " + CouponRushApi.LINE_PATH.formatted(couponId())
                : options.issuing() ? "POST " + CouponRushApi.ISSUE_PATH : "GET " + CouponRushApi.PING_PATH;
        total.print(out, "TOTAL RESULTS (" + what + ", " + options.label() + ")");
        if (!options.ramp().isZero()) {
            steady.print(out, "STEADY PHASE (after the " + options.ramp().toSeconds() + " s ramp)");
        }
        long open = answers.isPresent() ? unanswered : unanswered + total.answeredOutcomeUnknown() + total.inLine();
        Optional<IntegrityCheck.Verdict> verdict = baseline.map(before -> integrity.verify(before, successes, open));
        verdict.ifPresent(v -> v.print(out));
        Optional<LineIntegrityCheck.Verdict> line = answers.flatMap(all -> baseline.flatMap(before ->
                options.jdbc().map(database -> new LineIntegrityCheck(api, database).verify(before, Optional.of(all)))));
        line.ifPresent(v -> v.print(out));
        if (answers.isPresent() && line.isEmpty()) {
            out.println("  █ LINE INTEGRITY: not checked (give load.jdbcUrl)");
        }
        Report report = new Report(total, steady, verdict, line);
        options.resultFile().ifPresent(file -> write(file, report));
        return report;
    }

    /** The same verification again, from the same baseline and client counts: what it says now. */
    public IntegrityCheck.Verdict recheck(Report report) {
        IntegrityCheck.Baseline before = baseline.orElseThrow(() -> new IllegalStateException("a ping run has no coupon"));
        return integrity.verify(before, report.total().successes(),
                report.total().unanswered() + report.total().answeredOutcomeUnknown() + report.total().inLine());
    }

    /** The line's verification again, from the same baseline and the people's same answers: what it says now. */
    public LineIntegrityCheck.Verdict recheckLine() {
        IntegrityCheck.Baseline before = baseline.orElseThrow(() -> new IllegalStateException("a ping run has no coupon"));
        JdbcTarget database = options.jdbc().orElseThrow(() -> new IllegalStateException("no load.jdbcUrl"));
        return new LineIntegrityCheck(api, database).verify(before, Optional.of(lineAnswers));
    }

    private void write(Path file, Report report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", options.label());
        json.put("target", options.target());
        json.put("baseUrl", options.baseUrl());
        json.put("virtualUsers", options.virtualUsers());
        json.put("accounts", fixture.accounts().size());
        json.put("rampSeconds", options.ramp().toSeconds());
        json.put("holdSeconds", options.hold().toSeconds());
        json.put("pauseMillis", options.pause().toMillis());
        json.put("quantity", options.quantity());
        json.put("perUserLimit", options.perUserLimit());
        json.put("total", report.total().toJson());
        json.put("steady", report.steady().toJson());
        report.verdict().ifPresent(verdict -> {
            Map<String, Object> integrityJson = new LinkedHashMap<>();
            integrityJson.put("verdict", verdict.word());
            integrityJson.put("couponId", verdict.couponId());
            integrityJson.put("clientSuccesses", verdict.clientSuccesses());
            integrityJson.put("unanswered", verdict.unanswered());
            integrityJson.put("rowsAdded", verdict.rowsAdded().orElse(null));
            integrityJson.put("issuedCounterChange", verdict.issuedCounterChange());
            integrityJson.put("remainingDrop", verdict.remainingDrop());
            integrityJson.put("quantity", verdict.quantity());
            integrityJson.put("maxHeldByOneUser", verdict.maxHeldByOneUser().orElse(null));
            integrityJson.put("usersAboveLimit", verdict.usersAboveLimit().orElse(null));
            integrityJson.put("violations", verdict.violations());
            json.put("integrity", integrityJson);
        });
        report.line().ifPresent(verdict -> json.put("line", Map.of("verdict", verdict.word(),
                "places", verdict.places(), "issuedRows", verdict.issuedRows(), "inversions", verdict.inversions(),
                "violations", verdict.violations())));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
