package com.couponrush.auth;

import com.couponrush.database.EmbeddedDatabase;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

/**
 * Where the signing key comes from. A generated key is acceptable only for the embedded default:
 * tokens must survive restarts and be shared by every instance once a real database is in play,
 * so there a missing key stops the start-up instead of silently issuing unverifiable tokens.
 */
final class JwtKeys {

    private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);
    private static final int MIN_SECRET_BYTES = 32;

    private JwtKeys() {
    }

    static SecretKey signingKey(JwtProperties properties, DataSourceProperties dataSource) {
        String secret = properties.secret();
        if (secret == null || secret.isBlank()) {
            if (!EmbeddedDatabase.isEmbedded(dataSource.getUrl())) {
                throw new IllegalStateException("app.jwt.secret (APP_JWT_SECRET) must be set when the database is "
                        + "not the embedded default; use at least " + MIN_SECRET_BYTES + " bytes");
            }
            byte[] generated = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(generated);
            log.warn("No app.jwt.secret configured: generated a random signing key for the embedded database. "
                    + "Tokens will not survive a restart; set APP_JWT_SECRET for anything but a local trial.");
            return new SecretKeySpec(generated, "HmacSHA256");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("app.jwt.secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }
}
