package com.couponrush.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.LoadRun;
import com.couponrush.loadtest.driver.PlainJavaDriver;
import com.couponrush.loadtest.integrity.IntegrityCheck;
import com.couponrush.support.ServiceProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first minutes, exactly as the README tells them: the service started the way its first command
 * starts it (embedded default, nothing configured), then the README's curl walk-through and its load-test command
 * run as written, from the folder the service runs in. Each curl answer must match the answer the README shows
 * under it. Runs once, in the H2 execution: the embedded default is what it checks.
 */
@Tag("embedded-default")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeWalkthroughIT {

    private static final Path README = Path.of("README.md");
    private static final String README_BASE_URL = "http://localhost:8080";
    private static final String README_LOAD_URL = "http://127.0.0.1:8080";

    @TempDir
    static Path projectFolder;
    static ServiceProcess service;

    @BeforeAll
    static void firstCommand() {
        service = ServiceProcess.startEmbeddedDefault(projectFolder);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void theCurlWalkThroughAnswersWhatTheReadmeShows() throws Exception {
        String block = bashBlockAfter("## Try it with curl");
        List<String> expected = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (line.startsWith("# {")) {
                expected.add(line.substring(2));
            }
        }
        assertThat(expected).as("answers shown in the README").hasSizeGreaterThanOrEqualTo(4);

        Result run = bash(block.replace(README_BASE_URL, service.baseUrl()));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> answers = run.stdout().lines().filter(line -> line.startsWith("{")).toList();
        assertThat(answers).as(run.toString()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(answers.get(i)).as("answer %d of the walk-through", i + 1).matches(pattern(expected.get(i)));
        }
    }

    @Test
    @Order(2)
    void theLoadTestCommandPassesItsIntegrityCheckWhileTheServiceRuns() throws Exception {
        String command = bashBlockAfter("With a service running, the seed's k6 scenario");
        assertThat(command).startsWith("./mvnw -Pload");
        // The shell expands the command's arguments exactly as typed; Maven and Gatling are left out: the same
        // load.* options drive the plain-Java driver through the same preparation, tally and integrity check.
        Result arguments = bash(command.replaceFirst("^\\./mvnw", "printf '%s\\\\n'"));
        assertThat(arguments.exitCode()).as(arguments.toString()).isZero();
        Properties options = new Properties();
        for (String argument : arguments.stdout().lines().toList()) {
            Matcher option = Pattern.compile("^-D(load\\.[^=]+)=(.*)$").matcher(argument);
            if (option.matches()) {
                options.setProperty(option.group(1), option.group(2).replace(README_LOAD_URL, service.baseUrl()));
            }
        }
        assertThat(options).containsKeys("load.adminEmail", "load.adminPassword", "load.jdbcUrl", "load.users");
        options.setProperty("load.jdbcUrl", options.getProperty("load.jdbcUrl")
                .replace("./data/", projectFolder.resolve("data").toAbsolutePath() + "/"));
        // fewer virtual users than Gatling's default, so the suite stays fast; everything else as written
        options.setProperty("load.vus", "40");
        options.setProperty("load.pauseMs", "0");

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadRun run = LoadRun.prepare(LoadOptions.from(options), new PrintStream(printed, true, StandardCharsets.UTF_8));
        LoadRun.Report report = PlainJavaDriver.run(run, 400);
        System.out.print(printed.toString(StandardCharsets.UTF_8));

        IntegrityCheck.Verdict verdict = report.verdict().orElseThrow();
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.rowsAdded()).as("rows read from the running service's database file")
                .contains(report.total().successes());
        assertThat(report.total().successes()).isPositive();
    }

    /** The README's answer with {@code ...} for anything and any number for a number (ids differ between runs). */
    private static String pattern(String shown) {
        StringBuilder regex = new StringBuilder();
        Matcher parts = Pattern.compile("\\.\\.\\.|\\d+").matcher(shown);
        int at = 0;
        while (parts.find()) {
            regex.append(Pattern.quote(shown.substring(at, parts.start())));
            regex.append(parts.group().equals("...") ? ".*" : "\\d+");
            at = parts.end();
        }
        return regex.append(Pattern.quote(shown.substring(at))).toString();
    }

    private static String bashBlockAfter(String marker) throws IOException {
        String readme = Files.readString(README);
        int from = readme.indexOf(marker);
        assertThat(from).as("README section " + marker).isNotNegative();
        int start = readme.indexOf("```bash\n", from) + "```bash\n".length();
        return readme.substring(start, readme.indexOf("```", start)).strip();
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result bash(String script) throws IOException, InterruptedException {
        Path file = Files.writeString(projectFolder.resolve("walkthrough.sh"), "set -euo pipefail\n" + script + "\n");
        Process process = new ProcessBuilder("bash", file.toString()).directory(projectFolder.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }
}
