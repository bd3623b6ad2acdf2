/**
 * The strategies that serialise each issuance on its own: a row lock, a Redis lock, one conditional UPDATE, and
 * the seed's unsafe original. Each is a Spring bean found by {@link com.couponrush.issuance.IssuanceStrategies};
 * nothing refers to them by type.
 */
package com.couponrush.issuance.strategy;
