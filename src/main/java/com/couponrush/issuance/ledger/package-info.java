/**
 * What every strategy is built from: the coupon row as read ({@link com.couponrush.issuance.ledger.CouponSnapshot},
 * with the rules in their one order), the refusals in the words every strategy gives, and the SQL.
 */
package com.couponrush.issuance.ledger;
