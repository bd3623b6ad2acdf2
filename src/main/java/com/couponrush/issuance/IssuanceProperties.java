package com.couponrush.issuance;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param strategy    which {@link IssuanceStrategy} serves {@code POST /api/v1/user-coupon}; env COUPON_ISSUANCE_STRATEGY
 * @param allowUnsafe must be true to start with a strategy that breaks the contract (only {@code none})
 * @param refresh     longest an instance answers from what it remembers of a coupon (sold out, ended) before it
 *                    reads the row again: the bound within which an operator's change reaches every instance
 */
@ConfigurationProperties("coupon.issuance")
public record IssuanceProperties(@DefaultValue(DEFAULT_STRATEGY) String strategy,
                                 @DefaultValue("false") boolean allowUnsafe,
                                 @DefaultValue("1s") Duration refresh) {

    /** The group-commit engine's name: the strategy a deployment gets unless it chooses another. */
    public static final String DEFAULT_STRATEGY = "group-commit";
}
