package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.coupon.Coupon;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.ExperimentReport;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.Race;
import com.couponrush.support.TestUsers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * First come, first served, measured as the seed's authors did after their lock experiment: each request
 * takes an arrival ticket just before it enters the strategy, and the user_coupon row ids (the database's
 * identity, drawn at insert while the coupon is serialised) give the order of service. An inversion is a
 * pair served in the opposite order of arrival. Reported, not asserted: only the figures are the result.
 */
@IntegrationTest
@Tag("server-database")
class FairnessIT {

    static final int ATTEMPTS = 400;
    static final int THREADS = 20;

    @Autowired
    IssuanceService issuance;
    @Autowired
    IssuanceStrategies strategies;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder passwordEncoder;

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.couponrush.support.ExperimentStrategies#safe")
    void arrivalOrderAgainstServeOrder(String strategyName) {
        IssuanceStrategy strategy = strategies.get(strategyName);
        CouponFixtures coupons = new CouponFixtures(jdbc);
        long userId = TestUsers.insert(jdbc, passwordEncoder, 1).get(0);
        long couponId = coupons.openCoupon(ATTEMPTS, Coupon.UNLIMITED_PER_USER);
        AtomicLong tickets = new AtomicLong();
        Map<Long, Long> arrivalByRow = new ConcurrentHashMap<>();

        Race.Result race = Race.run(THREADS, ATTEMPTS, attempt -> {
            long arrival = tickets.incrementAndGet();
            IssuedCoupon issued = issuance.issue(strategy, new IssueCommand(couponId, userId, null));
            arrivalByRow.put(issued.userCouponId(), arrival);
        });
        assertThat(race.successes()).as(race.toString()).isEqualTo(ATTEMPTS);

        List<Long> served = coupons.idsInServeOrder(couponId);
        assertThat(served).hasSize(ATTEMPTS);
        long[] arrivals = served.stream().mapToLong(arrivalByRow::get).toArray();
        long inversions = inversions(arrivals);
        long maxOvertaken = maxOvertaken(arrivals);
        System.out.printf("%n[%s] fairness: %d requests from %d threads, %d inversions (%.2f per request),"
                        + " at most %d later arrivals served first, %d ms%n", strategyName, ATTEMPTS, THREADS,
                inversions, (double) inversions / ATTEMPTS, maxOvertaken, race.took().toMillis());
        ExperimentReport.append("fairness", "strategy,requests,threads,inversions,inversions_per_request,"
                        + "max_overtaken,millis", strategyName, ATTEMPTS, THREADS, inversions,
                String.format(java.util.Locale.ROOT, "%.2f", (double) inversions / ATTEMPTS), maxOvertaken,
                race.took().toMillis());
    }

    /** Pairs served in the opposite order of arrival; a few hundred requests make quadratic counting cheap. */
    static long inversions(long[] arrivalsInServeOrder) {
        long inversions = 0;
        for (int i = 0; i < arrivalsInServeOrder.length; i++) {
            for (int j = i + 1; j < arrivalsInServeOrder.length; j++) {
                if (arrivalsInServeOrder[i] > arrivalsInServeOrder[j]) {
                    inversions++;
                }
            }
        }
        return inversions;
    }

    /** The most later-arriving requests served before any single request. */
    static long maxOvertaken(long[] arrivalsInServeOrder) {
        long max = 0;
        for (int j = 0; j < arrivalsInServeOrder.length; j++) {
            long overtaken = 0;
            for (int i = 0; i < j; i++) {
                if (arrivalsInServeOrder[i] > arrivalsInServeOrder[j]) {
                    overtaken++;
                }
            }
            max = Math.max(max, overtaken);
        }
        return max;
    }
}
