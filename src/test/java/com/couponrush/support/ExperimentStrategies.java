package com.couponrush.support;

import java.util.List;
import java.util.stream.Stream;

/**
 * The strategies the seed's experiment runs against. A new safe strategy joins every concurrency,
 * cross-process and fairness test by adding its name here; a test fails while one is missing.
 */
public final class ExperimentStrategies {

    public static final List<String> SAFE = List.of(
            "pessimistic-lock",
            "atomic-update",
            "lettuce-spin-lock",
            "redisson-fair-lock",
            "group-commit");

    /** The seed's original, kept only to show the anomaly. */
    public static final String UNSAFE = "none";

    private ExperimentStrategies() {
    }

    /** For {@code @MethodSource("com.couponrush.support.ExperimentStrategies#safe")}. */
    public static Stream<String> safe() {
        return SAFE.stream();
    }

    public static Stream<String> all() {
        return Stream.concat(Stream.of(UNSAFE), SAFE.stream());
    }
}
