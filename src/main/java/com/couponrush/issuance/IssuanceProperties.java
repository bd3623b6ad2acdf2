package com.couponrush.issuance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param strategy    which {@link IssuanceStrategy} serves {@code POST /api/v1/user-coupon}; env COUPON_ISSUANCE_STRATEGY
 * @param allowUnsafe must be true to start with a strategy that breaks the contract (only {@code none})
 */
@ConfigurationProperties("coupon.issuance")
public record IssuanceProperties(@DefaultValue(GroupCommitIssuance.NAME) String strategy,
                                 @DefaultValue("false") boolean allowUnsafe) {
}
