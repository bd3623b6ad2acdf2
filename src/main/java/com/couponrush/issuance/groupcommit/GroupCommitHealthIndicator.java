package com.couponrush.issuance.groupcommit;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the issuance engine (health group {@code readiness}, contributor {@code groupCommit}): DOWN while
 * the engine refuses every request because the database is down or hangs, so that a load balancer sends the
 * traffic elsewhere; UP again as soon as the engine's own probe finds the database answering, with no request
 * needed.
 */
@Component
class GroupCommitHealthIndicator implements HealthIndicator {

    private final GroupCommitIssuance engine;

    GroupCommitHealthIndicator(GroupCommitIssuance engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        return engine.databaseAvailable() ? Health.up().build()
                : Health.down().withDetail("reason", "database unreachable or not answering").build();
    }
}
