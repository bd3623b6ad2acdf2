package com.couponrush.loadtest.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * Where and on what a benchmark ran: the figures belong to this machine and these versions, so the report
 * states them. {@link #probe} reads them from /proc, the service jar, the database, Redis, wrk and git.
 *
 * @param service        the service jar's Spring Boot version
 * @param loadGenerator  wrk's version and script, or Gatling's version and JDK
 * @param commit         the short hash of the checked-out commit
 * @param uncommitted    whether the working tree differed from it
 */
public record Machine(ZonedDateTime measured, String cpu, int cores, String memory, String os, String service,
                      String loadGenerator, String database, String redis, String commit, boolean uncommitted) {

    private static final Pattern SPRING_BOOT_LIBRARY = Pattern.compile("BOOT-INF/lib/spring-boot-(\\d[^/]*)\\.jar");
    private static final Pattern JAR_VERSION = Pattern.compile("-(\\d[^/]*)\\.jar$");

    public static Machine probe(String jdbcUrl, String jdbcUser, String jdbcPassword, Path serviceJar,
                                LoadConditions load) {
        return new Machine(ZonedDateTime.now(ZoneOffset.UTC),
                firstMatching(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")),
                Runtime.getRuntime().availableProcessors(),
                firstMatching(Path.of("/proc/meminfo"), "MemTotal")
                        .map(line -> String.format(Locale.ROOT, "%.1f GiB",
                                Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                        .orElse("unknown"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                serviceJar.getFileName() + ", Spring Boot " + springBootVersion(serviceJar),
                load.wrk() ? wrkVersion() + " with src/load/scripts/wrk.lua, " + load.wrkThreads() + " threads"
                        : "Gatling " + gatlingVersion() + " on Java " + System.getProperty("java.version"),
                databaseVersion(jdbcUrl, jdbcUser, jdbcPassword),
                redisVersion(),
                run(List.of("git", "rev-parse", "--short", "HEAD")).orElse("unknown"),
                run(List.of("git", "status", "--porcelain", "--untracked-files=no")).map(s -> !s.isBlank()).orElse(false));
    }

    /** "Java 17.0.15 (platform threads)" or "Java 25.0.3 (virtual threads)": the service's JDK, as runs are labelled. */
    public static String jdkLabel(Path jdk) {
        String version = run(List.of(jdk.resolve("bin").resolve("java").toString(), "-version"))
                .flatMap(output -> output.lines().filter(line -> line.contains("version")).findFirst())
                .map(line -> line.replaceAll(".*version \"([^\"]+)\".*", "$1"))
                .orElse(jdk.getFileName().toString());
        int major = Integer.parseInt(version.split("[.+-]")[0]);
        return "Java " + version + (major >= 21 ? " (virtual threads)" : " (platform threads)");
    }

    /** The 1-minute load average: other work on the same cores shows up in every figure. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String springBootVersion(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(entry -> SPRING_BOOT_LIBRARY.matcher(entry.getName())).filter(Matcher::matches)
                    .map(match -> match.group(1)).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String wrkVersion() {
        return run(List.of("sh", "-c", "wrk --version 2>&1; true"))
                .flatMap(output -> output.lines().findFirst())
                .map(line -> line.replaceAll("\\s*\\[.*", "").trim()).orElse("wrk");
    }

    /** From the jar Gatling was loaded from: the benchmark runs in the load profile, where it is on the class path. */
    private static String gatlingVersion() {
        try {
            Path jar = Path.of(Class.forName("io.gatling.app.Gatling").getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            Matcher version = JAR_VERSION.matcher(jar.getFileName().toString());
            return version.find() ? version.group(1) : "unknown";
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String databaseVersion(String jdbcUrl, String user, String password) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT VERSION()")) {
            result.next();
            return result.getString(1).replace("|", "/");
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String redisVersion() {
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
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? Optional.of(output)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
