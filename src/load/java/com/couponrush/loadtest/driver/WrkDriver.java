package com.couponrush.loadtest.driver;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.LoadRun;
import com.couponrush.loadtest.fixture.LoadFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The load of a {@link LoadRun} sent by wrk with src/load/scripts/wrk.lua instead of from this JVM: wrk is a small C
 * program, so on a machine of two cores the CPU goes to the service rather than to the load generator. The
 * run's accounts become the script's token file; wrk's answers, read back by {@link WrkResult}, end the run.
 */
public final class WrkDriver {

    public static final Path SCRIPT = Path.of("src", "load", "scripts", "wrk.lua");

    private WrkDriver() {
    }

    /** @return the run's report, or empty when wrk itself failed (its output has been printed) */
    public static Optional<LoadRun.Report> run(LoadRun run, int threads, Path workDir)
            throws IOException, InterruptedException {
        LoadOptions options = run.options();
        Path tokens = workDir.resolve("wrk-tokens.txt");
        Files.createDirectories(workDir);
        Files.write(tokens, run.accounts().stream().map(LoadFixture.Account::token).toList());
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + options.virtualUsers(),
                "-d" + options.duration().toSeconds() + "s", "--timeout", "60s", "--latency",
                "-s", SCRIPT.toAbsolutePath().toString(), options.baseUrl(), "--", tokens.toString()));
        if (options.issuing()) {
            command.add(Long.toString(run.couponId()));
        }
        System.out.println("[wrk] " + String.join(" ", command));
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(output);
        if (wrk.waitFor() != 0) {
            return Optional.empty();
        }
        WrkResult result = WrkResult.parse(output);
        return Optional.of(run.finish(result.measured(), result.unanswered()));
    }

    /** Before a long benchmark, not after its first service has started. */
    public static void requireInstalled() throws InterruptedException {
        try {
            new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException notInstalled) {
            throw new UncheckedIOException("wrk is not installed: apt-get install wrk", notInstalled);
        }
    }
}
