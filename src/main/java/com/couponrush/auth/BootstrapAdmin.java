package com.couponrush.auth;

import com.couponrush.database.EmbeddedDatabase;
import com.couponrush.user.Role;
import com.couponrush.user.UserService;
import com.couponrush.web.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Nobody can grant the first ADMIN through the API, so it comes from configuration and is created at start-up.
 * On the embedded default with nothing configured, a first admin with a generated password is created instead and
 * its password written once beside the database file (the way Jenkins hands out its initial admin password), so
 * that the first command a newcomer runs leads to a working admin. A shared database never gets a generated or a
 * published password.
 */
@Component
@Order(0)
class BootstrapAdmin implements ApplicationRunner {

    static final String GENERATED_EMAIL = "admin@coupon-rush.local";
    static final String PASSWORD_FILE = "initial-admin-password";

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final Properties properties;
    private final UserService userService;
    private final String databaseUrl;

    BootstrapAdmin(Properties properties, UserService userService, DataSourceProperties dataSource) {
        this.properties = properties;
        this.userService = userService;
        this.databaseUrl = dataSource.getUrl();
    }

    @Override
    public void run(ApplicationArguments args) {
        boolean embedded = EmbeddedDatabase.isEmbedded(databaseUrl);
        if (properties.embeddedOnly() && !embedded) {
            throw new IllegalStateException("this profile's published admin password is for the embedded database "
                    + "only; set APP_BOOTSTRAP_ADMIN_EMAIL and APP_BOOTSTRAP_ADMIN_PASSWORD for " + databaseUrl);
        }
        if (properties.email() == null || properties.email().isBlank()) {
            EmbeddedDatabase.fileFolder(databaseUrl).ifPresent(this::generateFirstAdmin);
            return;
        }
        if (properties.password() == null || properties.password().isBlank()) {
            throw new IllegalStateException("app.bootstrap-admin.password must be set with app.bootstrap-admin.email");
        }
        create(properties.email(), properties.password());
    }

    private void generateFirstAdmin(Path databaseFolder) {
        Path passwordFile = databaseFolder.resolve(PASSWORD_FILE);
        if (userService.hasAdmin()) {
            if (Files.exists(passwordFile)) {
                log.info("First admin: {} (initial password in {})", GENERATED_EMAIL, passwordFile);
            }
            return;
        }
        String password = generatedPassword();
        if (create(GENERATED_EMAIL, password)) {
            write(passwordFile, password);
            log.warn("""

                    Created the first admin of this embedded database:
                        email:    {}
                        password: {}
                    (also in {}; set APP_BOOTSTRAP_ADMIN_EMAIL / _PASSWORD to choose your own)
                    """, GENERATED_EMAIL, password, passwordFile);
        }
    }

    private boolean create(String email, String password) {
        if (userService.findByEmail(email).isPresent()) {
            return false;
        }
        try {
            userService.register(email, password, "admin", null, Role.ADMIN);
            log.info("Created bootstrap admin {}", email);
            return true;
        } catch (ApiException alreadyCreatedByAnotherInstance) {
            log.info("Bootstrap admin {} already exists", email);
            return false;
        }
    }

    /** Meets the sign-up password rules (upper, lower, digit, one of !@#$%^&*), so it can be typed back anywhere. */
    private static String generatedPassword() {
        byte[] random = new byte[15];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).replace('-', 'x').replace('_', 'y')
                + "Aa1!";
    }

    private static void write(Path file, String password) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, password + System.lineSeparator());
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the first admin's password to " + file, e);
        }
    }

    /**
     * env {@code APP_BOOTSTRAP_ADMIN_EMAIL}, {@code APP_BOOTSTRAP_ADMIN_PASSWORD}; {@code embeddedOnly} marks a
     * published password (the demo profile's) that must never reach a shared database.
     */
    @ConfigurationProperties("app.bootstrap-admin")
    record Properties(String email, String password, @DefaultValue("false") boolean embeddedOnly) {
    }
}
