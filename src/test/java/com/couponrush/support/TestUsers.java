package com.couponrush.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Many users at once, for concurrency and load tests: rows written in one JDBC batch (one password hash
 * shared by all) and access tokens minted with the application's own key, exactly as sign-in would.
 * Signing in a thousand users through BCrypt would take the test a minute of CPU for nothing.
 */
public final class TestUsers {

    private TestUsers() {
    }

    public static List<Long> insert(JdbcTemplate jdbc, PasswordEncoder encoder, int count) {
        String hash = encoder.encode(ApiClient.PASSWORD);
        String batch = UUID.randomUUID().toString().substring(0, 8);
        Timestamp now = Timestamp.valueOf(LocalDateTime.now());
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {"bulk-" + batch + "-" + i + "@test.coupon-rush.dev", hash, now, now});
        }
        jdbc.batchUpdate("INSERT INTO users (email, password, nickname, address, role, created_at, modified_at)"
                + " VALUES (?, ?, 'bulk', NULL, 'USER', ?, ?)", rows);
        return jdbc.queryForList("SELECT id FROM users WHERE email LIKE ? ORDER BY id", Long.class,
                "bulk-" + batch + "-%");
    }

    public static List<ApiClient.TestUser> insertWithTokens(JdbcTemplate jdbc, PasswordEncoder encoder, JwtEncoder jwt,
                                                 int count) {
        List<Long> ids = insert(jdbc, encoder, count);
        List<ApiClient.TestUser> accounts = new ArrayList<>(ids.size());
        for (Long id : ids) {
            String email = jdbc.queryForObject("SELECT email FROM users WHERE id = ?", String.class, id);
            accounts.add(new ApiClient.TestUser(id, email, token(jwt, id, email, "USER")));
        }
        return accounts;
    }

    public static String token(JwtEncoder jwt, long userId, String email, String role) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().subject(Long.toString(userId)).claim("email", email)
                .claim("role", role).issuedAt(now).expiresAt(now.plusSeconds(3600)).build();
        return "Bearer " + jwt.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }
}
