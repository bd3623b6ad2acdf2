package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;

/** The firewall's header rules, held to the regular expressions StrictHttpFirewall uses by default. */
class HeaderCharactersTest {

    // StrictHttpFirewall's own expressions (Spring Security 7.1)
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCharacterIsJudgedAsByTheLibrarysExpressions() {
        List<String> texts = new ArrayList<>();
        for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
            texts.add(String.valueOf((char) c));
            texts.add("ab" + (char) c + "cd");
        }
        for (int codePoint = 0x10000; codePoint <= Character.MAX_CODE_POINT; codePoint += 0x101) {
            texts.add(Character.toString(codePoint));
        }
        texts.addAll(List.of("", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "a\tb", "\uD83D\uDE00", "\uD83D", "\uDE00x",
                "x\uD83D", "\u0378", "\uDB80\uDC00"));

        for (String text : texts) {
            assertThat(HeaderCharacters.allowedInName(text)).as("name %s", codes(text))
                    .isEqualTo(NAME.matcher(text).matches());
            assertThat(HeaderCharacters.allowedInValue(text)).as("value %s", codes(text))
                    .isEqualTo(VALUE.matcher(text).matches());
        }
    }

    @Test
    void theFirewallRejectsAControlCharacterInAHeaderAndPassesTheRest() {
        HttpFirewall firewall = HeaderCharacters.firewall();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/auth/ping");
        request.addHeader("Authorization", "Bearer abc");
        request.addHeader("X-Next-Line", "a\u0085b");
        request.addHeader("X-Tab", "a\tb");

        var firewalled = firewall.getFirewalledRequest(request);

        assertThat(firewalled.getHeader("Authorization")).isEqualTo("Bearer abc");
        assertThat(firewalled.getHeader("X-Tab")).isEqualTo("a\tb");
        assertThatThrownBy(() -> firewalled.getHeader("X-Next-Line")).isInstanceOf(RequestRejectedException.class);
        assertThatThrownBy(() -> firewall.getFirewalledRequest(new MockHttpServletRequest("GET", "/a//b")))
                .as("the rest of the defaults still apply").isInstanceOf(RequestRejectedException.class);
    }

    private static String codes(String text) {
        return text.codePoints().mapToObj(Integer::toHexString).toList().toString();
    }
}
