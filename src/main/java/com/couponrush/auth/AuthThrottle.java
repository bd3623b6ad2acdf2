package com.couponrush.auth;

import com.couponrush.user.UserService;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing and mass sign-up: failed sign-ins are limited per account and per client
 * address, sign-ups per client address; beyond a limit the answer is 429 with Retry-After. While an account
 * is locked out even its right password is refused, or a guesser would learn from the answer when it hit.
 */
@Component
class AuthThrottle {

    private final AttemptLimit failedSignInsPerAccount;
    private final AttemptLimit failedSignInsPerAddress;
    private final AttemptLimit signUpsPerAddress;

    AuthThrottle(ThrottleProperties properties, Clock clock) {
        ThrottleProperties.SignIn signIn = properties.signIn();
        int maxTracked = properties.maxTracked();
        this.failedSignInsPerAccount = new AttemptLimit(signIn.perAccount(), signIn.window(), maxTracked, clock);
        this.failedSignInsPerAddress = new AttemptLimit(signIn.perAddress(), signIn.window(), maxTracked, clock);
        this.signUpsPerAddress = new AttemptLimit(properties.signUp().perAddress(), properties.signUp().window(),
                maxTracked, clock);
    }

    /**
     * Every attempt takes its token before the password is checked and a right password gives it back: taking
     * only on failure would let a burst of concurrent guesses all pass a check made before any of them failed.
     */
    <T> Optional<T> signIn(String email, String remoteAddress, Supplier<Optional<T>> checkPassword) {
        String account = UserService.normalizeEmail(email);
        String client = clientKey(remoteAddress);
        refuseWhenExhausted(failedSignInsPerAccount.take(account), ErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS);
        OptionalLong addressWait = failedSignInsPerAddress.take(client);
        if (addressWait.isPresent()) {
            failedSignInsPerAccount.giveBack(account);
            refuseWhenExhausted(addressWait, ErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS);
        }
        Optional<T> user;
        try {
            user = checkPassword.get();
        } catch (RuntimeException notAnAnswer) {
            failedSignInsPerAccount.giveBack(account);
            failedSignInsPerAddress.giveBack(client);
            throw notAnAnswer;
        }
        if (user.isPresent()) {
            failedSignInsPerAccount.forget(account);
            failedSignInsPerAddress.giveBack(client);
        }
        return user;
    }

    void signUp(String remoteAddress) {
        refuseWhenExhausted(signUpsPerAddress.take(clientKey(remoteAddress)), ErrorCode.TOO_MANY_SIGN_UPS);
    }

    private static void refuseWhenExhausted(OptionalLong retryAfterSeconds, ErrorCode code) {
        if (retryAfterSeconds.isPresent()) {
            throw new RetryableApiException(code, retryAfterSeconds.getAsLong());
        }
    }

    /**
     * An IPv6 client usually holds a whole /64 and can pick any address in it, so it counts as one client;
     * an IPv4 address counts as itself.
     */
    static String clientKey(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.indexOf(':') < 0) {
            return String.valueOf(remoteAddress);
        }
        try {
            // a literal from the connection (never a name), so this does not query DNS
            InetAddress address = InetAddress.getByName(remoteAddress);
            byte[] bytes = address.getAddress();
            return bytes.length == 16 ? Arrays.toString(Arrays.copyOf(bytes, 8)) + "/64" : address.getHostAddress();
        } catch (UnknownHostException notALiteral) {
            return remoteAddress;
        }
    }
}
