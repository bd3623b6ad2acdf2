package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** Whatever the header, the answer is the one Spring Security's own resolver gives. */
class BearerHeaderTokensTest {

    private static final String TOKEN_CHARACTERS =
            "abcxyzABCXYZ0189-._~+/=";
    private static final String OTHER_CHARACTERS = " \t\n\r,;:\"'!%&*()[]{}<>?@\\^`|#$\u00e9\u0085\u3042\uD83D\uDE00";

    private final BearerTokenResolver library = new DefaultBearerTokenResolver();
    private final BearerTokenResolver ours = new BearerHeaderTokens();

    @Test
    void answersEveryHeaderAsTheLibraryDoes() {
        List<String> headers = new ArrayList<>(List.of(
                "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_", "Bearer abc==", "Bearer abc=", "Bearer =",
                "Bearer ==", "Bearer a=b", "Bearer a==b", "Bearer ", "Bearer", "Bearer  abc", "Bearer abc ",
                "bearer abc", "BEARER abc", "Bearer\tabc", "Bearer abc\n", "Bearer a\u00e9", "Basic dXNlcjpwYXNz",
                "Bearerabc", "bearer", "", " Bearer abc", "Token abc", "Bearer ~+/-._", "Bearer abc,Bearer def"));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            headers.add(randomHeader(random));
        }
        headers.add(null);

        for (String header : headers) {
            assertThat(outcome(ours, header)).as("header [%s]", header).isEqualTo(outcome(library, header));
        }
    }

    @Test
    void aWellFormedTokenIsTakenWithoutTheLibrary() {
        assertThat(BearerHeaderTokens.wellFormedToken("Bearer abc.def-ghi_~+/==")).isEqualTo("abc.def-ghi_~+/==");
        assertThat(BearerHeaderTokens.wellFormedToken("bearer abc")).as("another spelling: the library decides")
                .isNull();
        assertThat(BearerHeaderTokens.wellFormedToken("Bearer a b")).as("malformed: the library refuses").isNull();
    }

    private static String randomHeader(Random random) {
        StringBuilder header = new StringBuilder(switch (random.nextInt(6)) {
            case 0 -> "bearer ";
            case 1 -> "Bearer";
            case 2 -> "";
            default -> "Bearer ";
        });
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            String alphabet = random.nextInt(10) == 0 ? OTHER_CHARACTERS : TOKEN_CHARACTERS;
            header.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return header.toString();
    }

    /** The token, or the error the resolver raised, as text to compare. */
    private static String outcome(BearerTokenResolver resolver, String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/auth/ping");
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        try {
            return "token " + resolver.resolve(request);
        } catch (OAuth2AuthenticationException refused) {
            return "refused " + refused.getError().getErrorCode() + " " + refused.getError().getDescription();
        }
    }
}
