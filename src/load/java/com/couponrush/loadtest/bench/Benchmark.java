package com.couponrush.loadtest.bench;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.LoadRun;
import com.couponrush.loadtest.bare.BareFrameworkApp;
import com.couponrush.loadtest.driver.WrkDriver;
import com.couponrush.loadtest.driver.WrkResult;
import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.fixture.LoadFixture;
import com.couponrush.loadtest.report.BenchmarkReport;
import com.couponrush.loadtest.tally.Summary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every strategy under the same load on the real stack, in one go: a fresh database on the local server, the
 * same accounts for every run, then per JDK and per target (the bare framework app and the ping baseline first,
 * then each strategy) a service process started from the jar, a load run (wrk with src/load/scripts/wrk.lua, or Gatling's
 * {@code IssuanceSimulation}) with its integrity check, and the service stopped again. Writes docs/benchmarks.md
 * with a table and a chart per JDK.
 * Options ({@code -Dbench.*}) and the command: docs/load-testing.md.
 */
public final class Benchmark {

    public static final String PING = "ping";
    /** {@link BareFrameworkApp}: the same request served by the framework alone, the ceiling of the others. */
    public static final String BARE = "bare-framework";
    public static final String ALL_STRATEGIES =
            "none,pessimistic-lock,atomic-update,lettuce-spin-lock,redisson-fair-lock,group-commit";
    private static final String ADMIN_EMAIL = "bench-admin@coupon-rush.dev";
    private static final String ADMIN_PASSWORD = "Bench-admin1!";
    private static final String JWT_SECRET = "coupon-rush-benchmark-secret-0123456789abcdef";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final String ACCOUNTS = "accounts.csv";
    private static final String BARE_CLASSES = "bare-app";
    /** The bare app looks at no coupon; the body only has to be the service's. */
    private static final long BARE_COUPON_ID = 1;

    public static final String WRK = "wrk";
    public static final String GATLING = "gatling";
    /** By name: the simulation compiles only in the load profile, this class in every build. */
    private static final String SIMULATION = "com.couponrush.loadtest.driver.IssuanceSimulation";

    /**
     * @param driver {@code wrk} (a C load generator: it leaves the shared cores to the service, so the figures
     *               show the service rather than the generator) or {@code gatling} (the load test of
     *               docs/load-testing.md, with a ramp and per-request fairness figures, but a JVM of its own
     *               that takes about as much CPU as the service)
     */
    public record Settings(
            List<String> targets,
            List<Path> jdks,
            Path jar,
            String driver,
            int wrkThreads,
            String adminJdbcUrl,
            String dbUser,
            String dbPassword,
            int users,
            int virtualUsers,
            int rampSeconds,
            int holdSeconds,
            int warmupSeconds,
            int quantity,
            int perUserLimit,
            List<String> serviceJvmArgs,
            List<String> serviceArgs,
            Path output,
            boolean keepDatabase,
            String command) {

        public boolean wrk() {
            return driver.equals(WRK);
        }

        public boolean ramped() {
            return !wrk() && rampSeconds > 0;
        }
    }

    /** One target measured on one JDK; {@code result} is empty when the service or the load did not run. */
    public record Run(String jdkLabel, String target, Optional<JsonNode> result, String problem, int gatlingExit,
               String loadAverage) {
    }

    /** The machine's 1-minute load average: other work on the same cores shows up in every figure. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** The two baselines the strategies are compared with: no issuance, so no fairness to measure. */
    public static boolean isCeiling(String target) {
        return target.equals(PING) || target.equals(BARE);
    }

    public static void main(String[] args) throws Exception {
        // Under exec:java this class lives in a child class loader that DriverManager did not scan at start-up.
        java.util.ServiceLoader.load(java.sql.Driver.class, Benchmark.class.getClassLoader()).forEach(driver -> { });
        Settings settings = settings(String.join(" ", args));
        if (settings.wrk()) {
            WrkDriver.requireInstalled();
        }
        Path workDir = Path.of("target", "load-test", "benchmark").toAbsolutePath();
        Files.createDirectories(workDir);
        String database = "couponrush_bench_" + Instant.now().getEpochSecond();
        String databaseUrl = settings.adminJdbcUrl().substring(0, settings.adminJdbcUrl().lastIndexOf('/') + 1)
                + database;
        BenchmarkReport.Environment environment = BenchmarkReport.Environment.probe(settings, databaseUrl);
        execute(settings.adminJdbcUrl(), settings, "CREATE DATABASE " + database);
        System.out.println("[benchmark] database " + databaseUrl);
        List<Run> runs = new ArrayList<>();
        try {
            Path accounts = workDir.resolve(ACCOUNTS);
            prepareAccounts(settings, databaseUrl, workDir, accounts);
            if (settings.targets().contains(BARE)) {
                copyBareAppClasses(workDir.resolve(BARE_CLASSES));
            }
            for (Path jdk : settings.jdks()) {
                String jdkLabel = BenchmarkReport.jdkLabel(jdk);
                for (String target : settings.targets()) {
                    runs.add(measure(settings, jdk, jdkLabel, target, databaseUrl, workDir));
                }
            }
        } finally {
            if (!settings.keepDatabase()) {
                execute(settings.adminJdbcUrl(), settings, "DROP DATABASE IF EXISTS " + database);
            }
        }
        BenchmarkReport.write(settings, environment, runs);
        System.out.println("[benchmark] wrote " + settings.output());
        // Only the unsafe strategy may fail the check, and only a strategy missing from this build may not run.
        List<Run> failed = runs.stream().filter(run -> run.result().isPresent() ? !run.target().equals("none")
                && run.result().get().path("integrity").path("verdict").asString("PASS").equals("FAIL")
                : run.gatlingExit() != -1).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("integrity FAIL or no result for " + failed.stream()
                    .map(run -> run.target() + " on " + run.jdkLabel()).toList());
        }
    }

    static Settings settings(String command) {
        String driver = System.getProperty("bench.driver", WRK);
        if (!driver.equals(WRK) && !driver.equals(GATLING)) {
            throw new IllegalArgumentException("bench.driver must be '" + WRK + "' or '" + GATLING + "', not " + driver);
        }
        List<String> targets = new ArrayList<>();
        // Gatling's simulation drives the service's API (sign-in, coupon, integrity): the bare app has none of it
        if (driver.equals(WRK) && Boolean.parseBoolean(System.getProperty("bench.bare", "true"))) {
            targets.add(BARE);
        }
        if (Boolean.parseBoolean(System.getProperty("bench.ping", "true"))) {
            targets.add(PING);
        }
        targets.addAll(list(System.getProperty("bench.strategies", ALL_STRATEGIES), ","));
        List<Path> jdks = list(System.getProperty("bench.jdks", System.getProperty("java.home")), ",").stream()
                .map(Path::of).toList();
        return new Settings(targets, jdks, jar(System.getProperty("bench.jar", "")), driver,
                Integer.getInteger("bench.wrkThreads", 2),
                System.getProperty("bench.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getProperty("bench.jdbcUser", "postgres"), System.getProperty("bench.jdbcPassword", ""),
                Integer.getInteger("bench.users", 500), Integer.getInteger("bench.vus", 500),
                Integer.getInteger("bench.rampSeconds", 5), Integer.getInteger("bench.holdSeconds", 20),
                Integer.getInteger("bench.warmupSeconds", 60),
                Integer.getInteger("bench.quantity", 1_000_000), Integer.getInteger("bench.perUserLimit", 0),
                list(System.getProperty("bench.serviceJvmArgs", "-Xmx512m"), " "),
                list(System.getProperty("bench.serviceArgs", ""), " "),
                Path.of(System.getProperty("bench.output",
                        driver.equals(WRK) ? "docs/benchmarks.md" : "docs/benchmarks-gatling.md")),
                Boolean.parseBoolean(System.getProperty("bench.keepDatabase", "false")),
                System.getProperty("bench.command", command));
    }

    private static void prepareAccounts(Settings settings, String databaseUrl, Path workDir, Path accounts) {
        try (Service service = Service.start(settings, settings.jdks().get(0), Optional.empty(), databaseUrl,
                workDir.resolve("service-prepare.log"))) {
            CouponRushApi api = new CouponRushApi(service.baseUrl());
            List<LoadFixture.Account> signedIn = LoadFixture.signUp(settings.users(), "Bench-user1!", api, 8,
                    System.out);
            LoadFixture.write(accounts, signedIn);
        }
    }

    private static Run measure(Settings settings, Path jdk, String jdkLabel, String target, String databaseUrl,
                               Path workDir) throws IOException, InterruptedException {
        String slug = (jdkLabel + "-" + target).replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
        System.out.printf("%n[benchmark] ===== %s on %s =====%n", target, jdkLabel);
        Optional<String> strategy = target.equals(PING) ? Optional.empty() : Optional.of(target);
        Path log = workDir.resolve("service-" + slug + ".log");
        Service service;
        try {
            service = target.equals(BARE) ? Service.startBare(settings, jdk, workDir.resolve(BARE_CLASSES), log)
                    : Service.start(settings, jdk, strategy, databaseUrl, log);
        } catch (IllegalStateException notStarted) {
            System.out.println("[benchmark] " + notStarted.getMessage());
            // a strategy missing from this build may not run (-1), the bare app always should
            return new Run(jdkLabel, target, Optional.empty(), notStarted.getMessage(), target.equals(BARE) ? 1 : -1,
                    loadAverage());
        }
        try (service) {
            Path result = workDir.resolve(slug + ".json");
            Files.deleteIfExists(result);
            if (settings.warmupSeconds() > 0) {
                // A fresh JVM spends its first tens of seconds compiling, and on two shared cores the compiler
                // competes with the load: measured cold, every figure would be mostly warm-up.
                System.out.printf("[benchmark] warm-up: %d s of the same load, not measured%n", settings.warmupSeconds());
                load(settings, service, target, jdkLabel + ", warm-up", databaseUrl, workDir,
                        workDir.resolve(slug + "-warmup.json"), settings.warmupSeconds());
            }
            String loadBefore = loadAverage();
            int exit = load(settings, service, target, jdkLabel, databaseUrl, workDir, result, settings.holdSeconds());
            if (!Files.exists(result)) {
                return new Run(jdkLabel, target, Optional.empty(), "the load run ended with exit code " + exit
                        + " and no result", exit, loadBefore);
            }
            return new Run(jdkLabel, target, Optional.of(new JsonMapper().readTree(result.toFile())), "", exit,
                    loadBefore + " → " + loadAverage());
        }
    }

    private static int load(Settings settings, Service service, String target, String jdkLabel, String databaseUrl,
                            Path workDir, Path result, int holdSeconds) throws IOException, InterruptedException {
        if (target.equals(BARE)) {
            return wrkBare(settings, service, jdkLabel, workDir, result, holdSeconds);
        }
        return settings.wrk()
                ? wrk(settings, service, target, jdkLabel, databaseUrl, workDir, result, holdSeconds)
                : gatling(settings, service, target, jdkLabel, databaseUrl, workDir.resolve(ACCOUNTS), result,
                        holdSeconds);
    }

    /** The same {@link LoadRun} as a Gatling run (coupon, baseline, verdict), with wrk sending the requests. */
    private static int wrk(Settings settings, Service service, String target, String jdkLabel, String databaseUrl,
                           Path workDir, Path result, int seconds) throws IOException, InterruptedException {
        LoadOptions options = new LoadOptions(service.baseUrl(), target.equals(PING) ? LoadOptions.PING
                : LoadOptions.ISSUE, Optional.empty(), settings.quantity(), settings.perUserLimit(), settings.users(),
                Optional.of(workDir.resolve(ACCOUNTS)), "", ADMIN_EMAIL, ADMIN_PASSWORD, 8, settings.virtualUsers(),
                Duration.ZERO, Duration.ofSeconds(seconds), Duration.ZERO,
                Optional.of(new LoadOptions.JdbcTarget(databaseUrl, settings.dbUser(), settings.dbPassword())),
                Optional.of(result), target + " (" + jdkLabel + ")");
        Optional<LoadRun.Report> report = WrkDriver.run(LoadRun.prepare(options, System.out), settings.wrkThreads(),
                workDir);
        return report.isEmpty() ? 2 : report.get().passed() ? 0 : 1;
    }

    /**
     * The bare app has no sign-in, coupons or rows to check: wrk sends it the issuance request with the prepared
     * accounts' tokens, as it does to the service, and its answers are summarised the same way.
     */
    private static int wrkBare(Settings settings, Service app, String jdkLabel, Path workDir, Path result,
                               int seconds) throws IOException, InterruptedException {
        Path tokens = workDir.resolve("wrk-bare-tokens.txt");
        Files.write(tokens, LoadFixture.read(workDir.resolve(ACCOUNTS)).stream().map(LoadFixture.Account::token)
                .toList());
        List<String> command = List.of("wrk", "-t" + settings.wrkThreads(), "-c" + settings.virtualUsers(),
                "-d" + seconds + "s", "--timeout", "60s", "--latency", "-s", WrkDriver.SCRIPT.toAbsolutePath().toString(),
                app.baseUrl(), "--", tokens.toString(), Long.toString(BARE_COUPON_ID));
        System.out.println("[wrk] " + String.join(" ", command));
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(output);
        if (wrk.waitFor() != 0) {
            return 2;
        }
        Summary measured = WrkResult.parse(output).measured();
        String label = BARE + " (" + jdkLabel + ")";
        measured.print(System.out, "RESULTS (POST " + CouponRushApi.ISSUE_PATH + ", " + label + ")");
        new JsonMapper().writeValue(result.toFile(), Map.of("label", label, "target", BARE, "steady",
                measured.toJson()));
        return measured.failures() == 0 ? 0 : 1;
    }

    /** The bare app's classes alone, for its launcher: the rest of the load test's classes stay off its class path. */
    private static void copyBareAppClasses(Path root) throws IOException, URISyntaxException {
        String packagePath = BareFrameworkApp.class.getPackageName().replace('.', '/');
        Path compiled = Path.of(BareFrameworkApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(packagePath);
        Path copy = Files.createDirectories(root.resolve(packagePath));
        try (Stream<Path> classes = Files.list(compiled)) {
            for (Path file : classes.filter(path -> path.toString().endsWith(".class")).toList()) {
                Files.copy(file, copy.resolve(file.getFileName().toString()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static int gatling(Settings settings, Service service, String target, String jdkLabel, String databaseUrl,
                               Path accounts, Path result, int holdSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Gatling's Maven plugin starts it with these; the engine needs the two opened packages.
        command.addAll(List.of("-Xmx1g", "-XX:MaxInlineLevel=20", "-XX:MaxTrivialSize=12",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Dlogback.configurationFile=" + Path.of("src", "load", "logback-gatling.xml").toAbsolutePath()));
        command.add("-cp");
        command.add(loadClasspath());
        String label = target + " (" + jdkLabel + ")";
        String[][] properties = {
                {"load.baseUrl", service.baseUrl()},
                {"load.target", target.equals(PING) ? LoadOptions.PING : LoadOptions.ISSUE},
                {"load.accounts", accounts.toString()},
                {"load.adminEmail", ADMIN_EMAIL},
                {"load.adminPassword", ADMIN_PASSWORD},
                {"load.quantity", Integer.toString(settings.quantity())},
                {"load.perUserLimit", Integer.toString(settings.perUserLimit())},
                {"load.vus", Integer.toString(settings.virtualUsers())},
                {"load.rampSeconds", Integer.toString(settings.rampSeconds())},
                {"load.holdSeconds", Integer.toString(holdSeconds)},
                {"load.pauseMs", "0"},
                {"load.jdbcUrl", databaseUrl},
                {"load.jdbcUser", settings.dbUser()},
                {"load.jdbcPassword", settings.dbPassword()},
                {"load.resultFile", result.toString()},
                {"load.label", label}};
        for (String[] property : properties) {
            command.add("-D" + property[0] + "=" + property[1]);
        }
        command.add("io.gatling.app.Gatling");
        command.addAll(List.of("-s", SIMULATION,
                "-rf", Path.of("target", "gatling").toAbsolutePath().toString(), "-rd", "benchmark: " + label));
        Process process = new ProcessBuilder(command).inheritIO().start();
        return process.waitFor();
    }

    /** Written by the load profile (maven-dependency-plugin) next to the compiled classes. */
    private static String loadClasspath() throws IOException {
        Path dependencies = Path.of("target", "load-test", "classpath.txt");
        if (!Files.exists(dependencies)) {
            throw new IllegalStateException(dependencies + " is missing: run through ./mvnw -Pload (see docs/load-testing.md)");
        }
        return String.join(java.io.File.pathSeparator, Path.of("target", "test-classes").toAbsolutePath().toString(),
                Path.of("target", "classes").toAbsolutePath().toString(), Files.readString(dependencies).trim());
    }

    private static Path jar(String configured) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "coupon-rush-*.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no target/coupon-rush-*.jar: build it first (./mvnw -DskipTests package)");
    }

    static void execute(String jdbcUrl, Settings settings, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, settings.dbUser(), settings.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public static String query(String jdbcUrl, Settings settings, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, settings.dbUser(), settings.dbPassword());
             Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    public static String redisVersion() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("redis_version:")) {
                    return line.substring("redis_version:".length()).trim();
                }
            }
        } catch (IOException e) {
            return "not reachable on 127.0.0.1:6379";
        }
        return "unknown";
    }

    private static List<String> list(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** The service jar as its own process, on a free loopback port, stopped gracefully when closed. */
    static final class Service implements AutoCloseable {

        private final Process process;
        private final int port;

        private Service(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Service start(Settings settings, Path jdk, Optional<String> strategy, String databaseUrl, Path log) {
            int port = freePort();
            List<String> command = java(settings, jdk);
            command.add("-jar");
            command.add(settings.jar().toString());
            command.add("--server.port=" + port);
            command.add("--spring.datasource.url=" + databaseUrl);
            command.add("--spring.datasource.username=" + settings.dbUser());
            command.add("--spring.datasource.password=" + settings.dbPassword());
            command.add("--app.jwt.secret=" + JWT_SECRET);
            command.add("--app.bootstrap-admin.email=" + ADMIN_EMAIL);
            command.add("--app.bootstrap-admin.password=" + ADMIN_PASSWORD);
            command.add("--spring.threads.virtual.enabled=true");
            // the accounts are signed up from this one address, far beyond what one real client would do
            command.add("--app.throttle.sign-up.per-address=" + Math.max(settings.users(), 1));
            strategy.ifPresent(name -> {
                command.add("--coupon.issuance.strategy=" + name);
                if (name.equals("none")) {
                    command.add("--coupon.issuance.allow-unsafe=true");
                }
            });
            command.addAll(settings.serviceArgs());
            return launch(command, port, log, "service " + strategy.orElse("(default strategy)"), "/actuator/health",
                    status -> status == 200);
        }

        /**
         * {@link BareFrameworkApp} on the same JDK, JVM options, libraries and loader as the service: the service
         * jar's PropertiesLauncher with the app's classes added, and the service's token secret.
         */
        static Service startBare(Settings settings, Path jdk, Path appClasses, Path log) {
            int port = freePort();
            List<String> command = java(settings, jdk);
            command.addAll(List.of("-cp", settings.jar().toString(), "-Dloader.path=" + appClasses,
                    "-Dloader.main=" + BareFrameworkApp.class.getName(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
            command.add("--server.port=" + port);
            command.add("--app.jwt.secret=" + JWT_SECRET);
            command.add("--spring.threads.virtual.enabled=true");
            command.addAll(settings.serviceArgs());
            // no actuator: Tomcat answering at all means the context is up (it starts listening last)
            return launch(command, port, log, "bare framework app", "/", status -> true);
        }

        private static List<String> java(Settings settings, Path jdk) {
            List<String> command = new ArrayList<>();
            command.add(jdk.resolve("bin").resolve("java").toString());
            command.addAll(settings.serviceJvmArgs());
            return command;
        }

        private static Service launch(List<String> command, int port, Path log, String name, String readyPath,
                                      IntPredicate ready) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .start();
                Service service = new Service(process, port);
                long started = System.nanoTime();
                service.awaitReady(log, readyPath, ready);
                System.out.printf(Locale.ROOT, "[benchmark] %s up on port %d in %.1f s%n", name, port,
                        (System.nanoTime() - started) / 1e9);
                return service;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        private void awaitReady(Path log, String path, IntPredicate ready) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("service did not start: " + firstError(log));
                }
                try {
                    if (ready.test(http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode())) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            close();
            throw new IllegalStateException("service not ready after " + START_TIMEOUT.toSeconds() + " s; see " + log);
        }

        private static String firstError(Path log) {
            try {
                return Files.readAllLines(log).stream()
                        .filter(line -> line.contains("IllegalStateException") || line.contains("APPLICATION FAILED"))
                        .map(line -> line.replaceAll("^.*?(IllegalStateException: |APPLICATION FAILED)", "$1"))
                        .findFirst().orElse("see " + log);
            } catch (IOException e) {
                return "see " + log;
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
