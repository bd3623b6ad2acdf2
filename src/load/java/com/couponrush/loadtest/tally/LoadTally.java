package com.couponrush.loadtest.tally;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every answer of a run, as the client saw it: outcome, when the request left and how long it took. Counters
 * are lock-free for the progress line; the per-request log (a few bytes each) is what the summary, the
 * percentiles and the fairness count are computed from at the end.
 */
public final class LoadTally {

    private final EnumMap<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
    private final Map<String, Short> detailIds = new ConcurrentHashMap<>();
    private final List<String> details = new CopyOnWriteArrayList<>();
    private final LongAdder requests = new LongAdder();

    private long[] startedAtMillis = new long[1 << 16];
    private long[] latencyMicros = new long[1 << 16];
    private byte[] outcomes = new byte[1 << 16];
    private short[] detailOf = new short[1 << 16];
    private int size;

    public LoadTally() {
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new LongAdder());
        }
    }

    /**
     * @param latencyMicros negative when unknown (no response)
     * @param detail        for {@link Outcome#OTHER} and {@link Outcome#NO_RESPONSE}: what it was (status and reason)
     */
    public void record(Outcome outcome, long startedAtMillis, long latencyMicros, String detail) {
        counts.get(outcome).increment();
        requests.increment();
        short detailId = outcome == Outcome.OTHER || outcome == Outcome.NO_RESPONSE ? detailId(detail) : -1;
        synchronized (this) {
            if (size == outcomes.length) {
                int grown = size * 2;
                this.startedAtMillis = Arrays.copyOf(this.startedAtMillis, grown);
                this.latencyMicros = Arrays.copyOf(this.latencyMicros, grown);
                this.outcomes = Arrays.copyOf(this.outcomes, grown);
                this.detailOf = Arrays.copyOf(this.detailOf, grown);
            }
            this.startedAtMillis[size] = startedAtMillis;
            this.latencyMicros[size] = latencyMicros;
            this.outcomes[size] = (byte) outcome.ordinal();
            this.detailOf[size] = detailId;
            size++;
        }
    }

    /** Few distinct details exist (status and reason, or the I/O error): each is stored once. */
    private short detailId(String detail) {
        String key = detail == null ? "?" : detail;
        return detailIds.computeIfAbsent(key, added -> {
            synchronized (details) {
                details.add(added);
                return (short) Math.min(details.size() - 1, Short.MAX_VALUE);
            }
        });
    }

    public long requests() {
        return requests.sum();
    }

    public long count(Outcome outcome) {
        return counts.get(outcome).sum();
    }

    /**
     * The k6-style figures over requests that started in [fromMillis, toMillis); the rate is per second of that
     * window. Pass the whole run for the k6 totals, or the steady phase after the ramp for a benchmark figure.
     */
    public synchronized Summary summarize(long fromMillis, long toMillis) {
        EnumMap<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            byOutcome.put(outcome, 0L);
        }
        Map<String, Long> others = new TreeMap<>();
        long[] latencies = new long[size];
        int measured = 0;
        long requestsInWindow = 0;
        for (int i = 0; i < size; i++) {
            if (startedAtMillis[i] < fromMillis || startedAtMillis[i] >= toMillis) {
                continue;
            }
            requestsInWindow++;
            Outcome outcome = Outcome.values()[outcomes[i]];
            byOutcome.merge(outcome, 1L, Long::sum);
            if (detailOf[i] >= 0) {
                others.merge(details.get(detailOf[i]), 1L, Long::sum);
            }
            if (latencyMicros[i] >= 0) {
                latencies[measured++] = latencyMicros[i];
            }
        }
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        double seconds = Math.max(1, toMillis - fromMillis) / 1000.0;
        return new Summary(requestsInWindow, seconds, byOutcome, others, Summary.Latency.of(sorted),
                soldOutInversions(fromMillis, toMillis));
    }

    /**
     * First come, first served, as far as a client can tell: a sold-out refusal to a request that left before
     * a request that then won is an inversion. Counted as such refusals and as (refusal, later winner) pairs;
     * timestamps are the client's, in milliseconds, so requests sent in the same millisecond never count.
     */
    private Summary.Fairness soldOutInversions(long fromMillis, long toMillis) {
        long[] winners = startsOf(Outcome.SUCCESS, fromMillis, toMillis);
        long[] refused = startsOf(Outcome.COUPON_SOLD_OUT, fromMillis, toMillis);
        if (refused.length == 0 || winners.length == 0) {
            return new Summary.Fairness(refused.length > 0, 0, 0);
        }
        long invertedRefusals = 0;
        long pairs = 0;
        int firstLaterWinner = 0;
        for (long refusal : refused) {
            while (firstLaterWinner < winners.length && winners[firstLaterWinner] <= refusal) {
                firstLaterWinner++;
            }
            long laterWinners = winners.length - firstLaterWinner;
            if (laterWinners > 0) {
                invertedRefusals++;
                pairs += laterWinners;
            }
        }
        return new Summary.Fairness(true, invertedRefusals, pairs);
    }

    private long[] startsOf(Outcome outcome, long fromMillis, long toMillis) {
        long[] starts = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (outcomes[i] == outcome.ordinal() && startedAtMillis[i] >= fromMillis && startedAtMillis[i] < toMillis) {
                starts[n++] = startedAtMillis[i];
            }
        }
        long[] result = Arrays.copyOf(starts, n);
        Arrays.sort(result);
        return result;
    }
}
