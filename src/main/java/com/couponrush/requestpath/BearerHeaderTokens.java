package com.couponrush.requestpath;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Spring Security's {@link DefaultBearerTokenResolver}, with the common case checked without its regular
 * expression: a header {@code Authorization: Bearer <token>} whose token has the RFC 6750 syntax is answered
 * here, anything else (no header, another scheme, another spelling, a malformed token) by the library itself,
 * so that every answer and every error is the library's.
 *
 * <p>Why: the library matches its expression case-insensitively over the whole token on every authenticated
 * request, where a scan of the characters decides the common case. With its default settings the library reads
 * no request parameter, so the header is all there is to decide; {@code BearerHeaderTokensTest} holds every
 * answer to the library's (docs/request-path.md).
 */
final class BearerHeaderTokens implements BearerTokenResolver {

    private static final String PREFIX = "Bearer ";

    private final BearerTokenResolver library = new DefaultBearerTokenResolver();

    @Override
    public @Nullable String resolve(HttpServletRequest request) {
        String token = wellFormedToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        return token != null ? token : library.resolve(request);
    }

    /** The token of {@code Bearer <b64token>} (RFC 6750 section 2.1), or null for the library to decide. */
    static @Nullable String wellFormedToken(@Nullable String header) {
        if (header == null || !header.startsWith(PREFIX)) {
            return null;
        }
        int end = header.length();
        while (end > PREFIX.length() && header.charAt(end - 1) == '=') {
            end--;
        }
        if (end == PREFIX.length()) {
            return null;
        }
        for (int i = PREFIX.length(); i < end; i++) {
            if (!isTokenCharacter(header.charAt(i))) {
                return null;
            }
        }
        return header.substring(PREFIX.length());
    }

    private static boolean isTokenCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
