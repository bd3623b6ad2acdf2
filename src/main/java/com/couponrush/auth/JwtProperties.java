package com.couponrush.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param secret HMAC key (at least 32 bytes); env {@code APP_JWT_SECRET}
 * @param ttl    how long an access token is valid
 */
@ConfigurationProperties("app.jwt")
public record JwtProperties(String secret, @DefaultValue("PT12H") Duration ttl) {
}
