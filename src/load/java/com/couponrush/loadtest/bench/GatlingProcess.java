package com.couponrush.loadtest.bench;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.report.TargetRun;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gatling driver: {@code IssuanceSimulation} in a JVM of its own, as Gatling's Maven plugin starts it, told
 * through the same {@code -Dload.*} options as the load test of docs/load-testing.md.
 */
final class GatlingProcess {

    /** By name: the simulation compiles only in the load profile, the benchmark in every build. */
    private static final String SIMULATION = "com.couponrush.loadtest.driver.IssuanceSimulation";
    /** Written by the load profile (maven-dependency-plugin) next to the compiled classes. */
    private static final Path DEPENDENCIES = Path.of("target", "load-test", "classpath.txt");

    private GatlingProcess() {
    }

    /** @return Gatling's exit code; the run's JSON is in {@code result} when it got that far */
    static int run(BenchmarkSettings settings, String baseUrl, String target, String label, String databaseUrl,
                   Path accounts, Path result, int holdSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the options Gatling's Maven plugin starts it with; the engine needs the two opened packages
        command.addAll(List.of("-Xmx1g", "-XX:MaxInlineLevel=20", "-XX:MaxTrivialSize=12",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Dlogback.configurationFile=" + Path.of("src", "load", "logback-gatling.xml").toAbsolutePath()));
        command.add("-cp");
        command.add(classpath());
        String[][] properties = {
                {"load.baseUrl", baseUrl},
                {"load.target", target.equals(TargetRun.PING) ? LoadOptions.PING : LoadOptions.ISSUE},
                {"load.accounts", accounts.toString()},
                {"load.adminEmail", ServiceUnderTest.ADMIN_EMAIL},
                {"load.adminPassword", ServiceUnderTest.ADMIN_PASSWORD},
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
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static String classpath() throws IOException {
        if (!Files.exists(DEPENDENCIES)) {
            throw new IllegalStateException(DEPENDENCIES + " is missing: run through ./mvnw -Pload (see docs/load-testing.md)");
        }
        return String.join(File.pathSeparator, Path.of("target", "test-classes").toAbsolutePath().toString(),
                Path.of("target", "classes").toAbsolutePath().toString(), Files.readString(DEPENDENCIES).trim());
    }
}
