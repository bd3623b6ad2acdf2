/**
 * The caller's coupons once issued: listing them ({@code GET /api/v1/user-coupon}) and using one
 * ({@code POST /api/v1/user-coupon/{id}/use}). Issuing them is the issuance module's.
 */
@ApplicationModule(allowedDependencies = {"user", "web"})
package com.couponrush.holding;

import org.springframework.modulith.ApplicationModule;
