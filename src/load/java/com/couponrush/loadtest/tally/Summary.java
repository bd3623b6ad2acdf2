package com.couponrush.loadtest.tally;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A run's figures in the shape of k6's end-of-test summary, so they read like the seed's: the check counts an
 * issuance or an expected refusal as passed ({@link Outcome}), and {@code http_req_failed} is the KO alone.
 *
 * @param seconds   the window the rates are computed over
 * @param byOutcome requests per outcome; {@link Outcome#SUCCESS} is the issued (or, for ping, answered) count
 * @param others    what the OTHER and NO_RESPONSE answers were ("503 STORAGE_UNAVAILABLE", "HttpTimeoutException", ...)
 */
public record Summary(long requests, double seconds, Map<Outcome, Long> byOutcome, Map<String, Long> others,
                      Latency latency, Fairness fairness) {

    /** Milliseconds. */
    public record Latency(double avg, double min, double med, double max, double p90, double p95, double p99) {

        static Latency of(long[] sortedMicros) {
            if (sortedMicros.length == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0);
            }
            long total = 0;
            for (long value : sortedMicros) {
                total += value;
            }
            return new Latency(total / 1000.0 / sortedMicros.length, sortedMicros[0] / 1000.0,
                    percentile(sortedMicros, 50), sortedMicros[sortedMicros.length - 1] / 1000.0,
                    percentile(sortedMicros, 90), percentile(sortedMicros, 95), percentile(sortedMicros, 99));
        }

        /** Nearest-rank, as k6 and Gatling report it. */
        private static double percentile(long[] sorted, double percent) {
            int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
        }
    }

    /**
     * @param applicable       whether the coupon sold out during the window (otherwise nobody could be inverted)
     * @param invertedRefusals sold-out refusals to requests sent before some request that then won
     * @param invertedPairs    (refused earlier request, later winner) pairs
     */
    public record Fairness(boolean applicable, long invertedRefusals, long invertedPairs) {
    }

    /**
     * The one answer that leaves the outcome open: the database stopped answering while the request's batch was
     * being committed, so it may have been issued like a request that was never answered.
     */
    static final String OUTCOME_UNKNOWN = "503 OUTCOME_UNKNOWN";

    public long successes() {
        return byOutcome.getOrDefault(Outcome.SUCCESS, 0L);
    }

    /** Refusals the coupon's rules call for (sold out, limit reached, ...): the service did what it should. */
    public long expectedRefusals() {
        return count(Outcome::expectedRefusal);
    }

    /** KO: errors, timeouts and unexplained answers. */
    public long failures() {
        return count(Outcome::ko);
    }

    private long count(Predicate<Outcome> kind) {
        return byOutcome.entrySet().stream().filter(entry -> kind.test(entry.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    public long unanswered() {
        return byOutcome.getOrDefault(Outcome.NO_RESPONSE, 0L);
    }

    /** Answers that tell the client its outcome is unknown: the server may have issued them. */
    public long answeredOutcomeUnknown() {
        return others.getOrDefault(OUTCOME_UNKNOWN, 0L);
    }

    /** Answers that gave a place in the waiting line: each may still be issued when the line decides it. */
    public long inLine() {
        return byOutcome.getOrDefault(Outcome.IN_LINE, 0L);
    }

    public double requestsPerSecond() {
        return requests / seconds;
    }

    public double successesPerSecond() {
        return successes() / seconds;
    }

    /** The figures the benchmark reads back, derived ones included. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requests", requests);
        json.put("seconds", seconds);
        json.put("successes", successes());
        json.put("expectedRefusals", expectedRefusals());
        json.put("failures", failures());
        json.put("requestsPerSecond", requestsPerSecond());
        json.put("successesPerSecond", successesPerSecond());
        json.put("byOutcome", byOutcome);
        json.put("others", others);
        json.put("latencyMillis", latency);
        json.put("fairness", fairness);
        return json;
    }

    public void print(PrintStream out, String title) {
        long expected = successes() + expectedRefusals();
        out.println();
        out.println("  █ " + title);
        out.println();
        out.printf(Locale.ROOT, "    checks_total.......................: %-8d %.2f/s%n", requests, requestsPerSecond());
        out.printf(Locale.ROOT, "    checks_succeeded...................: %6.2f%% %d out of %d%n",
                percent(expected), expected, requests);
        out.printf(Locale.ROOT, "    checks_failed......................: %6.2f%% %d out of %d%n",
                percent(failures()), failures(), requests);
        out.println();
        out.printf(Locale.ROOT, "    %s status is 200 or an expected refusal%n", failures() == 0 ? "✓" : "✗");
        out.printf(Locale.ROOT, "      ↳  %.0f%% — ✓ %d / ✗ %d%n", percent(expected), expected, failures());
        out.println();
        out.println("    OUTCOMES");
        out.printf(Locale.ROOT, "    successes..........................: %-8d %.2f/s%n", successes(),
                successesPerSecond());
        out.printf(Locale.ROOT, "    expected_refusals..................: %-8d %.2f/s%n", expectedRefusals(),
                expectedRefusals() / seconds);
        byOutcome.forEach((outcome, count) -> {
            if (outcome.expectedRefusal() && count > 0) {
                out.printf(Locale.ROOT, "      %-33s %d%n", outcome.name(), count);
            }
        });
        out.printf(Locale.ROOT, "    ko.................................: %-8d %.2f/s%n", failures(), failures() / seconds);
        byOutcome.forEach((outcome, count) -> {
            if (outcome.ko() && outcome != Outcome.OTHER && outcome != Outcome.NO_RESPONSE && count > 0) {
                out.printf(Locale.ROOT, "      %-33s %d%n", outcome.name(), count);
            }
        });
        others.forEach((detail, count) -> out.printf(Locale.ROOT, "      %-33s %d%n", detail, count));
        out.println();
        out.println("    HTTP");
        out.printf(Locale.ROOT, "    http_req_duration..............: avg=%s min=%s med=%s max=%s p(90)=%s p(95)=%s p(99)=%s%n",
                ms(latency.avg()), ms(latency.min()), ms(latency.med()), ms(latency.max()), ms(latency.p90()),
                ms(latency.p95()), ms(latency.p99()));
        out.printf(Locale.ROOT, "    http_req_failed................: %.2f%% %d out of %d%n",
                percent(failures()), failures(), requests);
        out.printf(Locale.ROOT, "    http_reqs......................: %-8d %.2f/s%n", requests, requestsPerSecond());
        if (fairness.applicable()) {
            out.printf(Locale.ROOT, "    fairness_inversions............: %d sold-out refusals sent before a later winner"
                    + " (%d pairs)%n", fairness.invertedRefusals(), fairness.invertedPairs());
        }
        out.printf(Locale.ROOT, "    window.........................: %.1f s%n", seconds);
        out.println();
    }

    private double percent(long part) {
        return requests == 0 ? 0 : 100.0 * part / requests;
    }

    static String ms(double millis) {
        if (millis >= 1000) {
            return String.format(Locale.ROOT, "%.2fs", millis / 1000);
        }
        return String.format(Locale.ROOT, "%.2fms", millis);
    }
}
