package com.couponrush.issuance.line;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The estimate a waiting person sees, fed the way the service feeds it: places decided in batches every 50 ms,
 * the decider's smoothed rate, the person reading once a second.
 */
class WaitEstimateTest {

    private static final long PERIOD_NANOS = 50_000_000L;

    @Test
    void underASteadyRateTheEstimateFallsInAtLeastNinetyFivePercentOfUpdates() {
        double falls = fractionOfFalls(new Random(1), 0.0);
        System.out.printf("steady rate: the estimate fell in %.1f %% of updates%n", falls * 100);
        assertThat(falls).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void underANoisyRateTheEstimateFallsInAtLeastNinetyFivePercentOfUpdates() {
        double falls = fractionOfFalls(new Random(2), 1.0);
        System.out.printf("noisy rate: the estimate fell in %.1f %% of updates%n", falls * 100);
        assertThat(falls).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void betterNewsIsShownAtOnceAndARateThatFellByHalfIsShownToo() {
        assertThat(WaitEstimate.next(100, 1, 40)).isEqualTo(40);
        assertThat(WaitEstimate.next(100, 1, 120)).as("a wobble: the countdown runs on").isEqualTo(99);
        assertThat(WaitEstimate.next(100, 1, 250)).as("the rate fell by more than half").isEqualTo(250);
        assertThat(WaitEstimate.next(Double.NaN, 1, 30)).isEqualTo(30);
    }

    /**
     * @param noise 0: every period decides the same number of places; 1: each period decides anything from none
     *              to twice the mean
     */
    private static double fractionOfFalls(Random random, double noise) {
        double meanPerPeriod = 5;
        long place = 20_000;
        long decidedThrough = 0;
        long now = 0;
        DecisionRate rate = new DecisionRate(5, now, decidedThrough);
        double shown = Double.NaN;
        long shownAt = 0;
        int updates = 0;
        int falls = 0;
        while (decidedThrough < place) {
            now += PERIOD_NANOS;
            double batch = meanPerPeriod * (1 + noise * (2 * random.nextDouble() - 1));
            decidedThrough += Math.round(batch);
            rate.observe(now, decidedThrough);
            if (now % 1_000_000_000L == 0 && rate.perSecond() > 0 && decidedThrough < place) {
                double measured = (place - decidedThrough) / rate.perSecond();
                double next = WaitEstimate.next(shown, (now - shownAt) / 1e9, measured);
                if (!Double.isNaN(shown)) {
                    updates++;
                    falls += next < shown ? 1 : 0;
                }
                shown = next;
                shownAt = now;
            }
        }
        return (double) falls / updates;
    }
}
