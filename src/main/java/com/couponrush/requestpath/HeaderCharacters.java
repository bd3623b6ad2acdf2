package com.couponrush.requestpath;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The characters {@link StrictHttpFirewall} allows in header names and values by default, checked a code point
 * at a time instead of by its regular expressions: assigned Unicode characters that are not control characters
 * (tab allowed in values).
 *
 * <p>Why: the firewall checks each header when it is read, so the expressions run over every bearer token on
 * every request, and the expression engine is a slow way to apply rules one code point decides. The rules
 * are the library's; {@code HeaderCharactersTest} holds them to its expressions (docs/request-path.md).
 */
final class HeaderCharacters {

    private HeaderCharacters() {
    }

    /** A firewall with Spring Security's defaults and these checks of header names and values. */
    static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::allowedInName);
        firewall.setAllowedHeaderValues(HeaderCharacters::allowedInValue);
        return firewall;
    }

    static boolean allowedInName(String name) {
        return allAllowed(name, false);
    }

    static boolean allowedInValue(String value) {
        return allAllowed(value, true);
    }

    private static boolean allAllowed(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            // printable ASCII is by far the common case, and always allowed
            if (codePoint < 0x20 || codePoint > 0x7e) {
                int type = Character.getType(codePoint);
                boolean control = type == Character.CONTROL && !(tabAllowed && codePoint == '\t');
                if (type == Character.UNASSIGNED || control) {
                    return false;
                }
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
