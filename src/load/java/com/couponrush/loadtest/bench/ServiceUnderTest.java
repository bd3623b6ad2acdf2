package com.couponrush.loadtest.bench;

import com.couponrush.loadtest.bare.BareFrameworkApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * The process a target's load goes to: the service jar (with a strategy, or its default for ping) or the bare
 * framework app, on the JDK being measured and a free loopback port, its output in a log file; stopped
 * gracefully when closed.
 */
final class ServiceUnderTest implements AutoCloseable {

    static final String ADMIN_EMAIL = "bench-admin@coupon-rush.dev";
    static final String ADMIN_PASSWORD = "Bench-admin1!";
    static final String JWT_SECRET = "coupon-rush-benchmark-secret-0123456789abcdef";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration READY_POLL = Duration.ofMillis(500);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private ServiceUnderTest(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServiceUnderTest start(BenchmarkSettings settings, Path jdk, Optional<String> strategy, String databaseUrl,
                                  Path log) {
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
    static ServiceUnderTest startBare(BenchmarkSettings settings, Path jdk, Path appClasses, Path log) {
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

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    private static List<String> java(BenchmarkSettings settings, Path jdk) {
        List<String> command = new ArrayList<>();
        command.add(jdk.resolve("bin").resolve("java").toString());
        command.addAll(settings.serviceJvmArgs());
        return command;
    }

    private static ServiceUnderTest launch(List<String> command, int port, Path log, String name, String readyPath,
                                           IntPredicate ready) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            ServiceUnderTest service = new ServiceUnderTest(process, port);
            long started = System.nanoTime();
            service.awaitReady(log, readyPath, ready);
            System.out.printf(Locale.ROOT, "[benchmark] %s up on port %d in %.1f s%n", name, port,
                    (System.nanoTime() - started) / 1e9);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Path log, String path, IntPredicate ready) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("service did not start: " + firstError(log));
                }
                try {
                    if (ready.test(http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode())) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(READY_POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
