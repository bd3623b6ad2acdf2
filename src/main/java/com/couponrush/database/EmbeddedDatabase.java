package com.couponrush.database;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The one place that knows what "the embedded default" is: H2, which the service runs on when no database is
 * configured. Conveniences that would be unsafe on a shared database (a generated signing key, a generated first
 * admin) are allowed only there.
 */
public final class EmbeddedDatabase {

    private static final String H2 = "jdbc:h2:";
    private static final String H2_FILE = "jdbc:h2:file:";

    private EmbeddedDatabase() {
    }

    /** True for the embedded default (no URL at all, or any H2 URL). */
    public static boolean isEmbedded(String jdbcUrl) {
        return jdbcUrl == null || jdbcUrl.startsWith(H2);
    }

    /** The folder that holds an embedded database file ({@code jdbc:h2:file:./data/coupon-rush} → {@code ./data}). */
    public static Optional<Path> fileFolder(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(H2_FILE)) {
            return Optional.empty();
        }
        String file = jdbcUrl.substring(H2_FILE.length()).split(";", 2)[0];
        Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
        return Optional.ofNullable(parent);
    }
}
