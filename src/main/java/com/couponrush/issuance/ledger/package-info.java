/**
 * What every strategy is built from: the coupon row as read ({@link com.couponrush.issuance.ledger.CouponSnapshot}),
 * the rules of issuing in their one order ({@link com.couponrush.issuance.ledger.IssuancePolicy}) and the SQL.
 * It depends on no other part of issuance, so every strategy can build on it.
 */
package com.couponrush.issuance.ledger;
