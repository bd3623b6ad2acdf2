package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.issuance.IssueCommand;
import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.HeldCouponRow;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.StatementLog;
import com.couponrush.web.RetryableApiException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Two mechanisms that a fault test would not notice missing, each asserted where it acts. After a batch met its
 * coupon's row held past the lock timeout, that coupon is refused for a pause without a batch (without it, every
 * request would park a drainer for the lock timeout again). And a request withdrawn at its deadline is answered
 * on a thread of the engine's own, never the timer's, which must not run a caller's continuation.
 */
@IntegrationTest
@Tag("server-database")
@Import(StatementLog.class)
@TestPropertySource(properties = {"coupon.issuance.group-commit.batch-timeout=6s",
        "coupon.issuance.group-commit.lock-timeout=2s", "coupon.issuance.group-commit.outage-pause=20s",
        "coupon.issuance.group-commit.max-outage-pause=20s", "coupon.issuance.group-commit.wait-timeout=500ms"})
class GroupCommitCouponPauseIT {

    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

    @Autowired
    ApiClient api;
    @Autowired
    DataSource dataSource;
    @Autowired
    StatementLog statements;
    @Autowired
    GroupCommitIssuance engine;

    @Test
    void afterAHeldRowTheCouponIsRefusedForAPauseWithoutABatch() throws Exception {
        ApiClient.TestUser admin = api.newAdmin();
        long held = api.createCoupon(admin, 100, 0);
        long free = api.createCoupon(admin, 100, 0);
        ApiClient.TestUser user = api.newUser();
        try (HeldCouponRow row = HeldCouponRow.hold(dataSource, held)) {
            long started = System.nanoTime();
            Response first = api.issue(user, held);
            Duration firstTook = Duration.ofNanos(System.nanoTime() - started);
            assertThat(first.reason()).as(first.toString()).isEqualTo("COUPON_BUSY");
            assertThat(firstTook).as("the batch waited for the lock").isGreaterThanOrEqualTo(LOCK_TIMEOUT);

            int mark = statements.mark();
            started = System.nanoTime();
            Response during = api.issue(user, held);
            Duration duringTook = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("held row: first COUPON_BUSY after %d ms, the next during the pause after %d ms%n",
                    firstTook.toMillis(), duringTook.toMillis());
            assertThat(during.reason()).isEqualTo("COUPON_BUSY");
            assertThat(during.raw().headers().firstValue("Retry-After")).isPresent();
            assertThat(duringTook).as("refused at admission, no lock wait").isLessThan(LOCK_TIMEOUT.dividedBy(2));
            assertThat(statements.since(mark)).filteredOn(StatementLog.ON_THE_COUPON_TABLE).isEmpty();

            assertThat(api.issue(user, free).status()).as("another coupon is not paused").isEqualTo(200);
        }
    }

    @Test
    void aRequestWithdrawnAtItsDeadlineIsAnsweredOffTheTimersThread() throws Exception {
        ApiClient.TestUser admin = api.newAdmin();
        long couponId = api.createCoupon(admin, 100, 0);
        try (HeldCouponRow row = HeldCouponRow.hold(dataSource, couponId)) {
            CompletableFuture<?> inTheBatch = engine.issueAsync(new IssueCommand(couponId, api.newUser().id(), null));
            AtomicReference<String> answeredOn = new AtomicReference<>();
            CompletableFuture<?> queued = engine.issueAsync(new IssueCommand(couponId, api.newUser().id(), null))
                    .whenComplete((issued, failure) -> answeredOn.set(Thread.currentThread().getName()));
            assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RetryableApiException.class).hasMessage("SERVICE_OVERLOADED");
            assertThat(answeredOn.get()).startsWith("group-commit-answers-");
            assertThat(inTheBatch).as("the batch waiting on the row is not cut at the deadline").isNotDone();
        }
    }
}
