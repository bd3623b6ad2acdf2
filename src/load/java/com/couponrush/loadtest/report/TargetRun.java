package com.couponrush.loadtest.report;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One target measured on one JDK, as the benchmark hands it to the report.
 *
 * @param target      {@link #BARE}, {@link #PING} or a strategy's name
 * @param result      the load run's JSON ({@code steady}, {@code integrity}); empty when the service or the load
 *                    did not run
 * @param problem     why there is no result
 * @param exitCode    the load run's exit code; -1 for a strategy the service jar does not know
 * @param loadAverage the machine's 1-minute load average before → after the run
 */
public record TargetRun(String jdkLabel, String target, Optional<JsonNode> result, String problem, int exitCode,
                        String loadAverage) {

    /** {@code GET /api/v1/auth/ping}: the whole service stack without the database, the service's ceiling. */
    public static final String PING = "ping";
    /** The same request served by Spring Boot's web stack alone: the framework's ceiling. */
    public static final String BARE = "bare-framework";

    /** The two baselines the strategies are compared with: no issuance, so no integrity or fairness. */
    public boolean ceiling() {
        return target.equals(PING) || target.equals(BARE);
    }

    Optional<Steady> steady() {
        return result.map(json -> new Steady(json.path("steady")));
    }
}
