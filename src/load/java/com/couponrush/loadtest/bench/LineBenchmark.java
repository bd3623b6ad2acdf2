package com.couponrush.loadtest.bench;

import com.couponrush.loadtest.driver.WrkDriver;
import com.couponrush.loadtest.driver.WrkResult;
import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.fixture.LoadFixture;
import com.couponrush.loadtest.fixture.MintedAccounts;
import com.couponrush.loadtest.integrity.IntegrityCheck;
import com.couponrush.loadtest.integrity.JdbcTarget;
import com.couponrush.loadtest.integrity.LineIntegrityCheck;
import com.couponrush.loadtest.report.LoadConditions;
import com.couponrush.loadtest.report.LineReport;
import com.couponrush.loadtest.report.Machine;
import com.couponrush.loadtest.tally.Outcome;
import com.couponrush.loadtest.tally.Summary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The waiting line's benchmark (src/load/scripts/line-benchmark.sh, docs/load-testing.md): per number of instances
 * of the service on one fresh database, a crowd takes places in a paused coupon's line, the instances' heaps are
 * read with every place held, the coupon is resumed and the line decided, and the same crowd then issues a fresh
 * coupon of the same stock directly; the figures go into a {@link LineReport}. The service, the accounts' tokens
 * and wrk are the issuance benchmark's ({@link ServiceUnderTest}, {@link MintedAccounts}, src/load/scripts/wrk.lua).
 */
public final class LineBenchmark {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String PASSWORD = "Bench-user1!";

    private final BenchmarkSettings settings;
    private final String databaseUrl;
    private final JdbcTarget database;
    private final Path workDir;
    private final int places;
    private final int warmup;
    private final Duration phaseLimit;
    private List<LoadFixture.Account> accounts;

    private LineBenchmark(BenchmarkSettings settings, String databaseUrl, Path workDir) {
        this.settings = settings;
        this.databaseUrl = databaseUrl;
        this.database = new JdbcTarget(databaseUrl, settings.dbUser(), settings.dbPassword());
        this.workDir = workDir;
        this.places = Integer.getInteger("bench.line.places", 100_000);
        this.warmup = Integer.getInteger("bench.line.warmupPlaces", 20_000);
        this.phaseLimit = Duration.ofSeconds(Integer.getInteger("bench.line.phaseSeconds", 600));
    }

    public static void main(String[] args) throws Exception {
        // Under exec:java this class lives in a child class loader that DriverManager did not scan at start-up.
        ServiceLoader.load(Driver.class, LineBenchmark.class.getClassLoader()).forEach(driver -> { });
        BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties(String.join(" ", args));
        WrkDriver.requireInstalled();
        List<Integer> instances = Arrays.stream(System.getProperty("bench.line.instances", "1,3").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        Path workDir = Files.createDirectories(Path.of("target", "load-test", "line-benchmark").toAbsolutePath());
        String name = "couponrush_line_" + Instant.now().getEpochSecond();
        String serverUrl = settings.adminJdbcUrl();
        String databaseUrl = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + name;
        Machine machine = Machine.probe(serverUrl, settings.dbUser(), settings.dbPassword(), settings.jar(),
                new LoadConditions(LoadConditions.WRK, 1, 0, 0, 0, 0, 0, 0, 0,
                        settings.serviceJvmArgs(), "", ""));
        Benchmark.execute(settings, "CREATE DATABASE " + name);
        System.out.println("[line-benchmark] database " + databaseUrl);
        LineBenchmark benchmark = new LineBenchmark(settings, databaseUrl, workDir);
        List<LineReport.Run> runs = new ArrayList<>();
        try {
            for (int count : instances) {
                runs.add(benchmark.measure(count));
            }
        } finally {
            if (!settings.keepDatabase()) {
                Benchmark.execute(settings, "DROP DATABASE IF EXISTS " + name);
            }
        }
        Path jdk = settings.jdks().get(0);
        Path report = LineReport.write(settings.reportDirectory(), new LineReport.Conditions(benchmark.places,
                settings.virtualUsers(), benchmark.warmup, settings.serviceJvmArgs(), Machine.jdkLabel(jdk),
                settings.command(), settings.note()), machine, runs);
        System.out.println("[line-benchmark] wrote " + report);
        List<LineReport.Run> failed = runs.stream().filter(run -> !run.problems().isEmpty()).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("problems with " + failed.stream().map(LineReport.Run::instances).toList()
                    + " instance(s): " + failed.stream().flatMap(run -> run.problems().stream()).toList());
        }
    }

    private LineReport.Run measure(int count) throws IOException, InterruptedException, SQLException {
        System.out.printf("%n[line-benchmark] ===== %d instance(s) =====%n", count);
        Path jdk = settings.jdks().get(0);
        List<ServiceUnderTest> services = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                services.add(ServiceUnderTest.start(settings, jdk, Optional.empty(), databaseUrl,
                        workDir.resolve("service-" + count + "-" + (i + 1) + ".log")));
            }
            if (accounts == null) {
                long started = System.nanoTime();
                accounts = MintedAccounts.insert(database, ServiceUnderTest.JWT_SECRET, PASSWORD, places);
                System.out.printf(Locale.ROOT, "[line-benchmark] %,d accounts inserted with tokens in %.1f s%n",
                        accounts.size(), (System.nanoTime() - started) / 1e9);
            }
            CouponRushApi api = new CouponRushApi(services.get(0).baseUrl());
            String admin = api.signIn(ServiceUnderTest.ADMIN_EMAIL, ServiceUnderTest.ADMIN_PASSWORD);
            List<String> problems = new ArrayList<>();
            if (warmup > 0) {
                // A fresh JVM's first stretch under load is spent compiling; on shared cores that is every figure
                System.out.printf("[line-benchmark] warm-up: %,d places, decided, and as many issued directly%n", warmup);
                List<LoadFixture.Account> few = accounts.subList(0, Math.min(warmup, accounts.size()));
                long line = pausedCoupon(api, admin, few.size(), "warm-up line");
                crowd(services, line, few, true, "warmup-line", () -> nextPlace(line) > few.size());
                api.control(admin, line, "resume");
                await(() -> decidedThrough(line) >= few.size());
                long direct = api.createCoupon(admin, "warm-up direct", few.size(), 1);
                crowd(services, direct, few, false, "warmup-direct", () -> issued(direct) >= few.size());
            }
            analyze();
            List<Long> idle = heaps(services, jdk);
            String loadBefore = Machine.loadAverage();

            long line = pausedCoupon(api, admin, places, "line");
            IntegrityCheck.Baseline lineBefore = new IntegrityCheck(api, Optional.of(database)).baseline(line);
            LineReport.Crowd joined = crowd(services, line, accounts, true, "line", () -> nextPlace(line) > places);
            joined = withSpan(joined, span("SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM waiting_place"
                    + " WHERE coupon_id = ?", line));
            List<Long> held = heaps(services, jdk);

            long resumed = System.nanoTime();
            api.control(admin, line, "resume");
            boolean decided = await(() -> decidedThrough(line) >= places);
            double decidedSeconds = (System.nanoTime() - resumed) / 1e9;
            if (!decided) {
                problems.add("the line was not decided within " + phaseLimit.toSeconds() + " s");
            }
            LineReport.Span decisions = span("SELECT COUNT(*), MIN(decided_at), MAX(decided_at) FROM waiting_place"
                    + " WHERE coupon_id = ? AND decided_at IS NOT NULL", line);
            LineIntegrityCheck.Verdict lineVerdict = new LineIntegrityCheck(api, database).verify(lineBefore,
                    Optional.empty());
            lineVerdict.print(System.out);
            lineVerdict.violations().forEach(violation -> problems.add("line check: " + violation));

            long direct = api.createCoupon(admin, "direct", places, 1);
            IntegrityCheck integrity = new IntegrityCheck(api, Optional.of(database));
            IntegrityCheck.Baseline directBefore = integrity.baseline(direct);
            List<WrkResult> directResults = new ArrayList<>();
            LineReport.Crowd issued = crowd(services, direct, accounts, false, "direct", () -> issued(direct) >= places,
                    directResults);
            issued = withSpan(issued, span("SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM user_coupon"
                    + " WHERE coupon_id = ?", direct));
            long successes = directResults.stream().mapToLong(result -> result.measured().successes()).sum();
            long open = directResults.stream().mapToLong(result -> result.unanswered()
                    + result.measured().inLine() + result.measured().answeredOutcomeUnknown()).sum();
            IntegrityCheck.Verdict directVerdict = integrity.verify(directBefore, successes, open);
            directVerdict.print(System.out);
            directVerdict.violations().forEach(violation -> problems.add("direct check: " + violation));
            if (joined.span().count() != places) {
                problems.add(joined.span().count() + " places were given for " + places + " people");
            }
            if (joined.ko() > 0 || issued.ko() > 0) {
                problems.add("KO answers: " + joined.ko() + " joining, " + issued.ko() + " issuing");
            }
            return new LineReport.Run(count, settings.virtualUsers() / count * count, joined, idle, held, decisions,
                    decidedSeconds, issued, lineVerdict.word(), directVerdict.word(), problems,
                    loadBefore + " → " + Machine.loadAverage());
        } finally {
            services.forEach(ServiceUnderTest::close);
        }
    }

    /**
     * The tables grew far beyond what the planner last saw (the people inserted at once, the warm-up's places and
     * rows); autovacuum would analyze them at a moment of its choosing, within a measured phase.
     */
    private void analyze() throws SQLException {
        if (databaseUrl.startsWith("jdbc:postgresql:")) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            }
        }
    }

    private long pausedCoupon(CouponRushApi api, String admin, int quantity, String name) {
        long coupon = api.createCoupon(admin, name, quantity, 1);
        api.control(admin, coupon, "pause");
        return coupon;
    }

    private LineReport.Crowd crowd(List<ServiceUnderTest> services, long couponId, List<LoadFixture.Account> people,
                                   boolean line, String label, Check done) throws IOException, InterruptedException {
        return crowd(services, couponId, people, line, label, done, new ArrayList<>());
    }

    /**
     * One wrk per instance, each with its share of the people and of the connections, until {@code done} (every
     * place given, or the coupon sold out): wrk is then interrupted, which ends it with its summary.
     */
    private LineReport.Crowd crowd(List<ServiceUnderTest> services, long couponId, List<LoadFixture.Account> people,
                                   boolean line, String label, Check done, List<WrkResult> results)
            throws IOException, InterruptedException {
        int n = services.size();
        List<Process> wrks = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> tokens = people.subList(i * people.size() / n, (i + 1) * people.size() / n).stream()
                    .map(LoadFixture.Account::token).toList();
            Path tokenFile = workDir.resolve("tokens-" + label + "-" + (i + 1) + ".txt");
            Files.write(tokenFile, tokens);
            Path output = workDir.resolve("wrk-" + label + "-" + n + "-" + (i + 1) + ".txt");
            List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c" + Math.max(1, settings.virtualUsers() / n),
                    "-d" + phaseLimit.toSeconds() + "s", "--timeout", "60s", "--latency", "-s",
                    WrkDriver.SCRIPT.toAbsolutePath().toString(), services.get(i).baseUrl(), "--",
                    tokenFile.toString(), Long.toString(couponId)));
            if (line) {
                command.add("line");
            }
            System.out.println("[wrk] " + String.join(" ", command));
            wrks.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start());
            outputs.add(output);
        }
        boolean finished = await(() -> done.met() || wrks.stream().noneMatch(Process::isAlive));
        for (Process wrk : wrks) {
            if (wrk.isAlive()) {
                new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor();
            }
        }
        for (Process wrk : wrks) {
            wrk.waitFor();
        }
        if (!finished) {
            System.out.println("[line-benchmark] " + label + ": not done within " + phaseLimit.toSeconds() + " s");
        }
        double p50 = 0;
        double p99 = 0;
        long requests = 0;
        long ko = 0;
        Map<String, Long> answers = new TreeMap<>();
        for (Path output : outputs) {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            System.out.print(text);
            WrkResult result = WrkResult.parse(text);
            results.add(result);
            Summary measured = result.measured();
            p50 = Math.max(p50, measured.latency().med());
            p99 = Math.max(p99, measured.latency().p99());
            requests += measured.requests();
            ko += measured.failures();
            measured.byOutcome().forEach((outcome, number) -> {
                if (number > 0 && outcome != Outcome.OTHER && outcome != Outcome.NO_RESPONSE) {
                    answers.merge(outcome.name(), number, Long::sum);
                }
            });
            measured.others().forEach((other, number) -> answers.merge(other, number, Long::sum));
        }
        String shown = answers.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("none");
        return new LineReport.Crowd(new LineReport.Span(0, 0), p50, p99, requests, shown, ko);
    }

    private static LineReport.Crowd withSpan(LineReport.Crowd crowd, LineReport.Span span) {
        return new LineReport.Crowd(span, crowd.p50(), crowd.p99(), crowd.requests(), crowd.answers(), crowd.ko());
    }

    /** Each instance's heap used after a full collection, KiB. */
    private static List<Long> heaps(List<ServiceUnderTest> services, Path jdk) throws IOException, InterruptedException {
        List<Long> used = new ArrayList<>();
        String jcmd = jdk.resolve("bin").resolve("jcmd").toString();
        for (ServiceUnderTest service : services) {
            run(List.of(jcmd, Long.toString(service.pid()), "GC.run"));
            String info = run(List.of(jcmd, Long.toString(service.pid()), "GC.heap_info"));
            Matcher matcher = HEAP_USED.matcher(info);
            used.add(matcher.find() ? Long.parseLong(matcher.group(1)) : -1);
        }
        System.out.println("[line-benchmark] heap used after GC, KiB: " + used);
        return used;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    private interface Check {
        boolean met() throws SQLException;
    }

    private boolean await(Check check) throws InterruptedException {
        long deadline = System.nanoTime() + phaseLimit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.met()) {
                    return true;
                }
            } catch (SQLException e) {
                System.out.println("[line-benchmark] poll failed: " + e.getMessage());
            }
            Thread.sleep(POLL.toMillis());
        }
        return false;
    }

    private long nextPlace(long couponId) throws SQLException {
        return single("SELECT COALESCE(MAX(next_place), 1) FROM waiting_line WHERE coupon_id = ?", couponId);
    }

    private long decidedThrough(long couponId) throws SQLException {
        return single("SELECT COALESCE(MAX(decided_through), 0) FROM waiting_line WHERE coupon_id = ?", couponId);
    }

    private long issued(long couponId) throws SQLException {
        return single("SELECT issued_count FROM coupon WHERE id = ?", couponId);
    }

    private long single(String sql, long couponId) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, couponId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Rows and the time from the first row's timestamp to the last one's, all written by the services' clock. */
    private LineReport.Span span(String sql, long couponId) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, couponId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                Timestamp first = result.getTimestamp(2);
                Timestamp last = result.getTimestamp(3);
                double seconds = first == null ? 0 : (last.getTime() - first.getTime()) / 1000.0
                        + (last.getNanos() % 1_000_000 - first.getNanos() % 1_000_000) / 1e9;
                return new LineReport.Span(result.getLong(1), seconds);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl, settings.dbUser(), settings.dbPassword());
    }
}
