package com.couponrush.loadtest.driver;

import com.couponrush.loadtest.tally.Outcome;
import com.couponrush.loadtest.tally.Summary;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A wrk run of src/load/scripts/wrk.lua, read from the {@code wrk-*} lines its {@code done} hook prints: answers by
 * status and reason, wrk's latency percentiles, socket errors, and how many requests were sent.
 *
 * @param measured   the answers in the k6-style shape of the Gatling runs; socket errors count as no response
 * @param unanswered requests sent whose answer wrk never read (in flight when it stopped, or cut by a socket
 *                   error): the server may have issued them, so the integrity check allows that many extra rows
 */
public record WrkResult(Summary measured, long unanswered) {

    public static WrkResult parse(String wrkOutput) {
        Map<String, Map<String, Double>> fields = new HashMap<>();
        Map<String, Long> answers = new TreeMap<>();
        for (String line : wrkOutput.split("\\R")) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("wrk-answer")) {
                // "wrk-answer 200 41700" or "wrk-answer 409 COUPON_SOLD_OUT 100": status (and reason), then count
                answers.merge(String.join(" ", Arrays.copyOfRange(words, 1, words.length - 1)),
                        Long.parseLong(words[words.length - 1]), Long::sum);
            } else if (words[0].startsWith("wrk-")) {
                Map<String, Double> values = new HashMap<>();
                for (int i = 1; i < words.length; i++) {
                    String[] pair = words[i].split("=", 2);
                    values.put(pair[0], Double.parseDouble(pair[1]));
                }
                fields.put(words[0], values);
            }
        }
        Map<String, Double> run = required(fields, "wrk-run");
        Map<String, Double> errors = required(fields, "wrk-errors");
        Map<String, Double> latency = required(fields, "wrk-latency");

        EnumMap<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            byOutcome.put(outcome, 0L);
        }
        Map<String, Long> others = new TreeMap<>();
        long answered = 0;
        for (Map.Entry<String, Long> answer : answers.entrySet()) {
            String[] statusAndReason = answer.getKey().split(" ", 2);
            String reason = statusAndReason.length > 1 && !statusAndReason[1].equals("-") ? statusAndReason[1] : null;
            Outcome outcome = Outcome.of(Integer.parseInt(statusAndReason[0]), reason);
            byOutcome.merge(outcome, answer.getValue(), Long::sum);
            if (outcome == Outcome.OTHER) {
                others.merge(answer.getKey(), answer.getValue(), Long::sum);
            }
            answered += answer.getValue();
        }
        long socketErrors = Math.round(errors.get("connect") + errors.get("read") + errors.get("write")
                + errors.get("timeout"));
        if (socketErrors > 0) {
            byOutcome.merge(Outcome.NO_RESPONSE, socketErrors, Long::sum);
            others.put("socket errors (connect, read, write, timeout)", socketErrors);
        }
        Summary.Latency latencyMillis = new Summary.Latency(micros(latency, "mean"), micros(latency, "min"),
                micros(latency, "p50"), micros(latency, "max"), micros(latency, "p90"), micros(latency, "p95"),
                micros(latency, "p99"));
        // wrk cannot tell which refusal left before which winner: no fairness figure from this driver
        Summary measured = new Summary(answered + socketErrors, run.get("seconds"), byOutcome, others,
                latencyMillis, new Summary.Fairness(false, 0, 0));
        long unanswered = Math.max(0, Math.round(run.get("sent")) - answered);
        return new WrkResult(measured, unanswered);
    }

    private static Map<String, Double> required(Map<String, Map<String, Double>> fields, String name) {
        Map<String, Double> values = fields.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no '" + name + "' line in wrk's output: was it run with src/load/scripts/wrk.lua?");
        }
        return values;
    }

    private static double micros(Map<String, Double> latency, String name) {
        return latency.get(name) / 1000.0;
    }
}
