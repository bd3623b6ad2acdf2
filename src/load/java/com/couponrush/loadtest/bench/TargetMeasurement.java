package com.couponrush.loadtest.bench;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.LoadRun;
import com.couponrush.loadtest.bare.BareFrameworkApp;
import com.couponrush.loadtest.driver.WrkDriver;
import com.couponrush.loadtest.driver.WrkResult;
import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.fixture.LoadFixture;
import com.couponrush.loadtest.integrity.JdbcTarget;
import com.couponrush.loadtest.report.Machine;
import com.couponrush.loadtest.report.TargetRun;
import com.couponrush.loadtest.tally.Summary;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * One target on one JDK, from start to stop: the service (or the bare app) started, an unmeasured warm-up, the
 * measured load with its integrity check, the service stopped. The accounts every run shares are prepared once,
 * before the first.
 */
final class TargetMeasurement {

    private static final String ACCOUNTS = "accounts.csv";
    private static final String BARE_CLASSES = "bare-app";
    /** The bare app looks at no coupon; the body only has to be the service's. */
    private static final long BARE_COUPON_ID = 1;

    private final BenchmarkSettings settings;
    private final String databaseUrl;
    private final Path workDir;

    TargetMeasurement(BenchmarkSettings settings, String databaseUrl, Path workDir) {
        this.settings = settings;
        this.databaseUrl = databaseUrl;
        this.workDir = workDir;
    }

    /** The same accounts, signed up through the first JDK's service, for every target. */
    void prepare() throws IOException, URISyntaxException {
        try (ServiceUnderTest service = ServiceUnderTest.start(settings, settings.jdks().get(0), Optional.empty(),
                databaseUrl, workDir.resolve("service-prepare.log"))) {
            CouponRushApi api = new CouponRushApi(service.baseUrl());
            LoadFixture.write(workDir.resolve(ACCOUNTS),
                    LoadFixture.signUp(settings.users(), "Bench-user1!", api, 8, System.out));
        }
        if (settings.targets().contains(TargetRun.BARE)) {
            copyBareAppClasses(workDir.resolve(BARE_CLASSES));
        }
    }

    TargetRun measure(Path jdk, String jdkLabel, String target) throws IOException, InterruptedException {
        String slug = (jdkLabel + "-" + target).replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
        System.out.printf("%n[benchmark] ===== %s on %s =====%n", target, jdkLabel);
        Path log = workDir.resolve("service-" + slug + ".log");
        ServiceUnderTest service;
        try {
            service = target.equals(TargetRun.BARE)
                    ? ServiceUnderTest.startBare(settings, jdk, workDir.resolve(BARE_CLASSES), log)
                    : ServiceUnderTest.start(settings, jdk, strategy(target), databaseUrl, log);
        } catch (IllegalStateException notStarted) {
            System.out.println("[benchmark] " + notStarted.getMessage());
            // a strategy missing from this build may not run (-1), the bare app always should
            return new TargetRun(jdkLabel, target, Optional.empty(), notStarted.getMessage(),
                    target.equals(TargetRun.BARE) ? 1 : -1, Machine.loadAverage());
        }
        try (service) {
            Path result = workDir.resolve(slug + ".json");
            Files.deleteIfExists(result);
            if (settings.warmupSeconds() > 0) {
                // A fresh JVM spends its first stretch under load compiling, and on shared cores the compiler
                // competes with the load: measured cold, every figure would be mostly warm-up.
                System.out.printf("[benchmark] warm-up: %d s of the same load, not measured%n", settings.warmupSeconds());
                load(service, target, jdkLabel + ", warm-up", workDir.resolve(slug + "-warmup.json"),
                        settings.warmupSeconds());
            }
            String loadBefore = Machine.loadAverage();
            int exit = load(service, target, jdkLabel, result, settings.holdSeconds());
            if (!Files.exists(result)) {
                return new TargetRun(jdkLabel, target, Optional.empty(), "the load run ended with exit code " + exit
                        + " and no result", exit, loadBefore);
            }
            return new TargetRun(jdkLabel, target, Optional.of(new JsonMapper().readTree(result.toFile())), "", exit,
                    loadBefore + " → " + Machine.loadAverage());
        }
    }

    private static Optional<String> strategy(String target) {
        return target.equals(TargetRun.PING) ? Optional.empty() : Optional.of(target);
    }

    private int load(ServiceUnderTest service, String target, String jdkLabel, Path result, int seconds)
            throws IOException, InterruptedException {
        String label = target + " (" + jdkLabel + ")";
        if (target.equals(TargetRun.BARE)) {
            return wrkBare(service, label, result, seconds);
        }
        return settings.wrk() ? wrk(service, target, label, result, seconds)
                : GatlingProcess.run(settings, service.baseUrl(), target, label, databaseUrl,
                        workDir.resolve(ACCOUNTS), result, seconds);
    }

    /** The same {@link LoadRun} as a Gatling run (coupon, baseline, verdict), with wrk sending the requests. */
    private int wrk(ServiceUnderTest service, String target, String label, Path result, int seconds)
            throws IOException, InterruptedException {
        LoadOptions options = new LoadOptions(service.baseUrl(), target.equals(TargetRun.PING) ? LoadOptions.PING
                : LoadOptions.ISSUE, Optional.empty(), settings.quantity(), settings.perUserLimit(), settings.users(),
                Optional.of(workDir.resolve(ACCOUNTS)), "", ServiceUnderTest.ADMIN_EMAIL,
                ServiceUnderTest.ADMIN_PASSWORD, 8, settings.virtualUsers(), Duration.ZERO, Duration.ofSeconds(seconds),
                Duration.ZERO, Optional.of(new JdbcTarget(databaseUrl, settings.dbUser(), settings.dbPassword())),
                Optional.of(result), label);
        Optional<LoadRun.Report> report = WrkDriver.run(LoadRun.prepare(options, System.out), settings.wrkThreads(),
                workDir);
        return report.isEmpty() ? 2 : report.get().passed() ? 0 : 1;
    }

    /**
     * The bare app has no sign-in, coupons or rows to check: wrk sends it the issuance request with the prepared
     * accounts' tokens, as it does to the service, and its answers are summarised the same way.
     */
    private int wrkBare(ServiceUnderTest app, String label, Path result, int seconds)
            throws IOException, InterruptedException {
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
        measured.print(System.out, "RESULTS (POST " + CouponRushApi.ISSUE_PATH + ", " + label + ")");
        new JsonMapper().writeValue(result.toFile(), Map.of("label", label, "target", TargetRun.BARE, "steady",
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
                Files.copy(file, copy.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
