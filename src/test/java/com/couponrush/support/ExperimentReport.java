package com.couponrush.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Figures of the experiment, printed and appended to target/experiment/<name>.csv (one row per run, every
 * database run of the build in the same file) so that docs/strategies.md can quote a real run.
 */
public final class ExperimentReport {

    private static final Path DIRECTORY = Path.of("target", "experiment");

    private ExperimentReport() {
    }

    public static synchronized void append(String name, String header, Object... values) {
        StringBuilder row = new StringBuilder(TestDatabase.current().name().toLowerCase(java.util.Locale.ROOT));
        for (Object value : values) {
            row.append(',').append(value);
        }
        try {
            Files.createDirectories(DIRECTORY);
            Path file = DIRECTORY.resolve(name + ".csv");
            if (!Files.exists(file)) {
                Files.writeString(file, "database," + header + System.lineSeparator(), StandardCharsets.UTF_8);
            }
            Files.writeString(file, row + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
