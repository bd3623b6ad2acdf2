package com.couponrush.loadtest.bare;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service's tokens checked the way its decoder checks them, by Nimbus JOSE, minus Spring Security around it:
 * an HS256 signature with the UTF-8 bytes of {@code app.jwt.secret} (at least 32, as the service demands), an
 * expiry with Nimbus's clock skew, and the caller's id and role read from the claims.
 */
final class BareTokenVerifier {

    private static final int MIN_SECRET_BYTES = 32;
    private static final String BEARER_PREFIX = "Bearer ";
    private static final String ROLE_CLAIM = "role";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    BareTokenVerifier(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("app.jwt.secret must be the service's secret: at least "
                    + MIN_SECRET_BYTES + " bytes");
        }
        processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256,
                new SecretKeySpec(key, "HmacSHA256")));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp", ROLE_CLAIM)));
    }

    /** The caller's user id, or empty when the header holds no valid token of the service. */
    Optional<Long> callerId(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER_PREFIX)) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet claims = processor.process(authorization.substring(BEARER_PREFIX.length()), null);
            return claims.getStringClaim(ROLE_CLAIM) == null ? Optional.empty()
                    : Optional.of(Long.parseLong(claims.getSubject()));
        } catch (ParseException | BadJOSEException | JOSEException | NumberFormatException invalid) {
            return Optional.empty();
        }
    }
}
