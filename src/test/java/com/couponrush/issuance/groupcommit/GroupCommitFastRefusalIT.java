package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CommitGate;
import com.couponrush.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * After a batch fails, the engine refuses at once for its outage pause instead of sending every queued and
 * new request to a database it has just seen fail (OutageGuard). The pause is set far longer than the test so
 * that "during the pause" is certain, not a matter of timing.
 */
@IntegrationTest
@Import(CommitGate.class)
@TestPropertySource(properties = {"coupon.issuance.group-commit.wait-timeout=60s",
        "coupon.issuance.group-commit.outage-pause=10m", "coupon.issuance.group-commit.max-outage-pause=10m"})
class GroupCommitFastRefusalIT {

    private static final int REQUESTS = 20;

    @Autowired
    ApiClient api;
    @Autowired
    CommitGate gate;

    @AfterEach
    void openTheGate() {
        gate.open();
    }

    @Test
    void afterAFailedCommitRequestsAreRefusedWithoutAskingTheDatabase() throws Exception {
        ApiClient.TestUser admin = api.newAdmin();
        long couponId = api.createCoupon(admin, 100, 0);
        long otherCouponId = api.createCoupon(admin, 100, 0);
        ApiClient.TestUser user = api.newUser();

        gate.holdIssuingCommits();
        CompletableFuture<Response> failing = CompletableFuture.supplyAsync(() -> api.issue(user, couponId));
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 1);
        gate.failOne();
        assertThat(failing.get().status()).as(failing.get().toString()).isEqualTo(503);
        // The database is healthy again at once: whatever refuses from here on is the engine's guard.
        gate.open();
        int statementsBefore = gate.statements().size();

        long slowest = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long started = System.nanoTime();
            Response response = api.issue(user, i % 2 == 0 ? couponId : otherCouponId);
            slowest = Math.max(slowest, System.nanoTime() - started);
            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(response.reason()).isEqualTo("STORAGE_UNAVAILABLE");
            assertThat(response.raw().headers().firstValue("Retry-After")).isPresent();
        }

        List<String> issuanceStatements = gate.statements().subList(statementsBefore, gate.statements().size())
                .stream().filter(GroupCommitFastRefusalIT::partOfAnIssuance).toList();
        System.out.printf("group-commit after a failed commit: %d requests refused, slowest %d ms, "
                + "issuance statements %d%n", REQUESTS, slowest / 1_000_000, issuanceStatements.size());
        assertThat(issuanceStatements).as("statements sent during the outage pause").isEmpty();
    }

    /** The live console reads the coupon list meanwhile; an issuance reads one coupon by id or user_coupon. */
    private static boolean partOfAnIssuance(String sql) {
        String normalised = sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return normalised.contains("user_coupon") || normalised.contains("from coupon where id");
    }
}
