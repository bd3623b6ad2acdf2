package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.groupcommit.GroupCommitIssuance.RetainedState;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.ProxiedDatabase;
import com.couponrush.support.Race;
import com.couponrush.support.StatementLog;
import com.couponrush.support.TcpProxy;
import com.couponrush.web.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Nothing is built for a request that is refused, and a coupon id that does not exist is looked up at most once
 * per refresh interval: what clients choose (coupon ids, keys, how often they come back) must not grow the
 * engine's state or its work on the database. The link is frozen ({@link ProxiedDatabase}) to make the outage
 * real; lanes idle for a moment retire, so that "nothing retained" is reached within the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
@ContextConfiguration(initializers = ProxiedDatabase.class)
@Import({ApiClient.class, CouponFixtures.class, StatementLog.class})
@TestPropertySource(properties = {"coupon.issuance.group-commit.wait-timeout=20s",
        "coupon.issuance.group-commit.batch-timeout=2s", "coupon.issuance.group-commit.lane-idle-timeout=200ms",
        "coupon.issuance.refresh=" + GroupCommitRetentionIT.REFRESH})
@Tag("server-database")
class GroupCommitRetentionIT {

    static final String REFRESH = "30s";
    private static final RetainedState NOTHING = new RetainedState(0, 0, 0);
    /** Far above any id the test database hands out. */
    private static final long UNKNOWN_IDS = 1_000_000_000_000L;
    private static final int REQUESTS = 100_000;
    private static final int SAMPLES = 20;

    @Autowired
    ApiClient api;
    @Autowired
    TcpProxy link;
    @Autowired
    GroupCommitIssuance engine;
    @Autowired
    StatementLog statements;

    @BeforeEach
    void databaseAnswers() {
        link.thaw();
        await().atMost(Duration.ofSeconds(30)).until(engine::databaseAvailable);
    }

    @AfterEach
    void thaw() {
        link.thaw();
    }

    @Test
    void aHundredThousandRequestsForRandomCouponsDuringAnOutageLeaveNothingBehind() {
        long userId = api.newUsers(1).get(0).id();
        link.freeze();
        // the outage is detected by a batch that hangs on the frozen link, as in production
        CompletableFuture<IssuedCoupon> detector = engine.issueAsync(new IssueCommand(UNKNOWN_IDS, userId, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> !engine.databaseAvailable());
        await().atMost(Duration.ofSeconds(10)).until(detector::isDone);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.retained().equals(NOTHING));

        Map<String, Integer> outcomes = new TreeMap<>();
        int mostLanes = 0;
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            long couponId = UNKNOWN_IDS + 1 + ThreadLocalRandom.current().nextLong(1L << 40);
            String key = i % 2 == 0 ? null : "key-" + i;
            outcomes.merge(outcome(engine.issueAsync(new IssueCommand(couponId, userId, key))), 1, Integer::sum);
            if (i % (REQUESTS / SAMPLES) == 0) {
                mostLanes = Math.max(mostLanes, engine.retained().lanes());
            }
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        RetainedState after = engine.retained();
        boolean stillDown = !engine.databaseAvailable();

        System.out.printf("group-commit during an outage: %,d requests for random unknown coupons (half keyed) in %d ms:"
                + " %s; most lanes seen meanwhile %d; retained afterwards %s%n", REQUESTS, tookMillis, outcomes,
                mostLanes, after);
        assertThat(stillDown).as("the outage lasted throughout").isTrue();
        assertThat(outcomes).isEqualTo(Map.of("STORAGE_UNAVAILABLE", REQUESTS));
        assertThat(mostLanes).as("lanes built for refused requests").isZero();
        assertThat(after).as("lanes, users in line and keys in line after the refusals").isEqualTo(NOTHING);
    }

    @Test
    void aThousandRequestsForOneUnknownCouponCostOneLookupWithinTheRefreshInterval() {
        long userId = api.newUsers(1).get(0).id();
        long unknown = UNKNOWN_IDS + 1 + ThreadLocalRandom.current().nextLong(1L << 40);

        int mark = statements.mark();
        Race.Result result = Race.run(8, 1_000, i -> engine.issue(new IssueCommand(unknown, userId,
                i % 2 == 0 ? null : "unknown-" + i)));
        List<StatementLog.Executed> lookups = statements.since(mark).stream()
                .filter(StatementLog.ON_THE_COUPON_TABLE).toList();

        System.out.printf("group-commit, 1,000 requests for one unknown coupon from 8 threads (half keyed): %s;"
                + " statements on the coupon table %d (refresh %s)%n", result, lookups.size(), REFRESH);
        assertThat(result.outcomes()).isEqualTo(Map.of("COUPON_NOT_FOUND", 1_000));
        assertThat(result.took()).as("all within one refresh interval").isLessThan(Duration.parse("PT" + REFRESH));
        assertThat(lookups.size()).as("lookups of the unknown coupon, the first %s",
                lookups.subList(0, Math.min(2, lookups.size()))).isLessThanOrEqualTo(1);
    }

    /** The reason of an answer given at once; PENDING if the request was admitted to wait for a batch. */
    private static String outcome(CompletableFuture<IssuedCoupon> answer) {
        if (!answer.isDone()) {
            return "PENDING";
        }
        try {
            answer.join();
            return Race.SUCCESS;
        } catch (CompletionException failed) {
            return failed.getCause() instanceof ApiException refusal ? refusal.errorCode().name()
                    : failed.getCause().getClass().getSimpleName();
        }
    }
}
