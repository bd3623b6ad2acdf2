/**
 * Issuing a coupon to the caller: the use case ({@link com.couponrush.issuance.IssuanceService}), the contract
 * every strategy keeps ({@link com.couponrush.issuance.IssuanceStrategy}), {@code POST /api/v1/user-coupon} and
 * the names of the issuance meters. Inside, and reachable by no other module: {@code ledger} (the coupon row as
 * every strategy reads, judges and writes it), {@code strategy} (the strategies that serialise with a lock or one
 * statement) and {@code groupcommit} (the default engine).
 */
@ApplicationModule(allowedDependencies = {"coupon", "lock", "user", "web"})
package com.couponrush.issuance;

import org.springframework.modulith.ApplicationModule;
