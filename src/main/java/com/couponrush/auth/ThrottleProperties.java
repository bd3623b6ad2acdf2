package com.couponrush.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many sign-in failures and sign-ups are allowed, and how many accounts and addresses are remembered.
 * The address is the request's remote address; behind a reverse proxy, {@code server.forward-headers-strategy}
 * makes that the client's instead of the proxy's.
 *
 * @param signIn     failed sign-ins allowed per account and per address within a window
 * @param signUp     sign-ups allowed per address within a window
 * @param maxTracked accounts (and, separately, addresses) remembered at most per limit; the least used are
 *                   forgotten first, so the memory stays bounded whatever clients send
 */
@ConfigurationProperties("app.throttle")
public record ThrottleProperties(@DefaultValue SignIn signIn, @DefaultValue SignUp signUp,
                                 @DefaultValue("20000") int maxTracked) {

    public record SignIn(@DefaultValue("10") int perAccount, @DefaultValue("100") int perAddress,
                         @DefaultValue("15m") Duration window) {
    }

    public record SignUp(@DefaultValue("30") int perAddress, @DefaultValue("10m") Duration window) {
    }
}
