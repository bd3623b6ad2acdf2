package com.couponrush.loadtest.report;

import com.couponrush.loadtest.tally.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** The steady phase of one run as the load run wrote it ({@code Summary#toJson}), read by the table and the chart. */
final class Steady {

    private final JsonNode json;

    Steady(JsonNode json) {
        this.json = json;
    }

    double successesPerSecond() {
        return json.path("successesPerSecond").asDouble();
    }

    double requestsPerSecond() {
        return json.path("requestsPerSecond").asDouble();
    }

    double latency(String name) {
        return json.path("latencyMillis").path(name).asDouble();
    }

    double p99() {
        return latency("p99");
    }

    double expectedRefusalsPerSecond() {
        return perSecond(count(Outcome::expectedRefusal));
    }

    double failuresPerSecond() {
        return perSecond(count(Outcome::ko));
    }

    /** "COUPON_SOLD_OUT 6,000, PER_USER_LIMIT_REACHED 12" or "none". */
    String expectedRefusals() {
        List<String> parts = new ArrayList<>();
        outcomes().forEach(entry -> {
            if (outcome(entry.getKey()).expectedRefusal() && entry.getValue().asLong() > 0) {
                parts.add(entry.getKey() + " " + count(entry.getValue().asLong()));
            }
        });
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** The KO by reason, the unexplained answers by status and reason: "LOCK_NOT_ACQUIRED 8, 503 STORAGE_UNAVAILABLE 15". */
    String failures() {
        List<String> parts = new ArrayList<>();
        outcomes().forEach(entry -> {
            Outcome outcome = outcome(entry.getKey());
            boolean detailed = outcome == Outcome.OTHER || outcome == Outcome.NO_RESPONSE;
            if (outcome.ko() && !detailed && entry.getValue().asLong() > 0) {
                parts.add(entry.getKey() + " " + count(entry.getValue().asLong()));
            }
        });
        json.path("others").properties().forEach(other -> parts.add(other.getKey() + " " + count(other.getValue().asLong())));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    long failureCount() {
        return count(Outcome::ko);
    }

    String fairness() {
        JsonNode fairness = json.path("fairness");
        if (!fairness.path("applicable").asBoolean()) {
            return "n/a (not sold out or not measurable)";
        }
        return String.format(Locale.ROOT, "%,d (%,d pairs)", fairness.path("invertedRefusals").asLong(),
                fairness.path("invertedPairs").asLong());
    }

    private Iterable<Map.Entry<String, JsonNode>> outcomes() {
        return json.path("byOutcome").properties();
    }

    private long count(Predicate<Outcome> kind) {
        long total = 0;
        for (Map.Entry<String, JsonNode> entry : outcomes()) {
            if (kind.test(outcome(entry.getKey()))) {
                total += entry.getValue().asLong();
            }
        }
        return total;
    }

    private double perSecond(long count) {
        double seconds = json.path("seconds").asDouble();
        return seconds > 0 ? count / seconds : 0;
    }

    /** A name this build does not know (a report of an older run) counts as unexplained. */
    private static Outcome outcome(String name) {
        try {
            return Outcome.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return Outcome.OTHER;
        }
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
