package com.couponrush.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service as a separate operating-system process, started from the test classpath: for what only
 * real processes can show (two instances sharing one database, a SIGKILL in the middle of a load).
 * Its output goes to a log file under target/service-processes.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START_UP = Duration.ofMinutes(3);

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts an instance on a free port against the given database and Redis, with extra properties
     * (such as {@code coupon.issuance.strategy}), and waits until its health endpoint answers UP.
     */
    public static ServiceProcess start(TestServices.Database database, int redisDatabase,
                                       Map<String, String> properties) {
        int port = TestServices.freePort();
        TestServices.RedisEndpoint redis = TestServices.redis();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", Integer.toString(port));
        all.put("spring.datasource.url", database.url());
        all.put("spring.datasource.username", database.user());
        all.put("spring.datasource.password", database.password());
        all.put("spring.data.redis.host", redis.host());
        all.put("spring.data.redis.port", Integer.toString(redis.port()));
        all.put("spring.data.redis.database", Integer.toString(redisDatabase));
        all.put("app.jwt.secret", TestServicesInitializer.JWT_SECRET);
        all.put("spring.datasource.hikari.minimum-idle", "2");
        all.put(TestServicesInitializer.SIGN_UPS_PER_ADDRESS, TestServicesInitializer.TEST_SIGN_UPS_PER_ADDRESS);
        all.putAll(properties);
        return launch(port, all, Path.of("."));
    }

    /**
     * Starts an instance exactly as {@code ./mvnw spring-boot:run} does, on the embedded default (H2 file database
     * under {@code workingDirectory/data}, generated signing key and first admin), only on a free port.
     */
    public static ServiceProcess startEmbeddedDefault(Path workingDirectory) {
        int port = TestServices.freePort();
        return launch(port, Map.of("server.port", Integer.toString(port)), workingDirectory);
    }

    private static ServiceProcess launch(int port, Map<String, String> properties, Path workingDirectory) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("com.couponrush.CouponRushApplication");
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Path dir = Files.createDirectories(Path.of("target", "service-processes"));
            Path log = dir.resolve("service-" + port + ".log").toAbsolutePath();
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(process, port, log);
            service.awaitHealthy();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no graceful drain, exactly like a crashed host. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as an orchestrator stops a service: the service's graceful shutdown runs. */
    public void terminate() {
        process.destroy();
    }

    /** True if the process ended within the time given. */
    public boolean awaitExit(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /**
     * The wait is generous because a start-up on a machine shared with other builds is slow while other JVMs
     * compile; a process that exits is reported at once rather than after the wait.
     */
    private void awaitHealthy() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(START_UP).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("service process exited; see " + log.toAbsolutePath());
                        }
                        try {
                            return http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                        } catch (IOException notListeningYet) {
                            return false;
                        }
                    });
        } catch (RuntimeException | AssertionError e) {
            kill();
            throw new IllegalStateException("service on port " + port + " did not become healthy; log: "
                    + log.toAbsolutePath() + File.separator, e);
        }
    }
}
