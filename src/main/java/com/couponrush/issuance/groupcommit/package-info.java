/**
 * The group-commit engine, the default strategy (see docs/engine.md). Only
 * {@link com.couponrush.issuance.groupcommit.GroupCommitIssuance} (the strategy, whose name is the default) and
 * its settings are visible outside this package; lanes, waiters, batches and the outage guard are its own.
 */
package com.couponrush.issuance.groupcommit;
