package com.couponrush.loadtest.report;

import java.util.List;
import java.util.Locale;

/**
 * What every target of one benchmark run was put under, as the report states it.
 *
 * @param driver  {@link #WRK} or {@link #GATLING}
 * @param command the command line as typed, quoted so the run can be repeated
 * @param note    a paragraph quoted at the top of the report, or empty
 */
public record LoadConditions(String driver, int wrkThreads, int quantity, int perUserLimit, int users,
                             int virtualUsers, int rampSeconds, int holdSeconds, int warmupSeconds,
                             List<String> serviceJvmArgs, String command, String note) {

    public static final String WRK = "wrk";
    public static final String GATLING = "gatling";

    public boolean wrk() {
        return driver.equals(WRK);
    }

    /** Only Gatling ramps; wrk opens every connection at once. */
    public boolean ramped() {
        return !wrk() && rampSeconds > 0;
    }

    String describe() {
        return String.format(Locale.ROOT, "One hot coupon (quantity %,d, per-user limit %s) freshly created for each "
                        + "run; %,d accounts signed up through the API once and shared by all runs; %,d %s, no think "
                        + "time, %s. Before it, each freshly started service gets %d s of the same load as a warm-up "
                        + "that is not measured. The service runs with `%s`.",
                quantity, perUserLimit == 0 ? "unlimited" : Integer.toString(perUserLimit), users, virtualUsers,
                wrk() ? "connections (one keep-alive connection each, each request with the next account's token)"
                        : "virtual users (one keep-alive connection each, each signed in as one account)",
                ramped() ? String.format(Locale.ROOT, "ramped up over %d s, then %d s at the peak; figures are from "
                        + "the %d s at the peak", rampSeconds, holdSeconds, holdSeconds)
                        : String.format(Locale.ROOT, "all open from the start for %d s", holdSeconds),
                warmupSeconds, String.join(" ", serviceJvmArgs));
    }
}
