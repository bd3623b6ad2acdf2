package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.issuance.IssuanceStrategies;
import com.couponrush.issuance.ledger.BatchDecider;
import com.couponrush.issuance.ledger.BatchLedger;
import com.couponrush.issuance.ledger.RecordedIssue;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.ApiClient;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** The group-commit engine's building blocks on every database, H2 included. */
@IntegrationTest
class GroupCommitIssuanceIT {

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    BatchLedger batches;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    IssuanceStrategies strategies;
    @Autowired
    MeterRegistry meters;

    @Test
    void groupCommitIsTheDefaultStrategy() {
        assertThat(strategies.active().name()).isEqualTo("group-commit");
    }

    @Test
    void oneMultiRowInsertReturnsEveryIdInRowOrder() {
        long couponId = api.createCoupon(api.newAdmin(), 100, null);
        List<Long> users = TestUsers.insert(jdbc, encoder, 5);
        List<BatchDecider.Request> winners = List.of(new BatchDecider.Request(users.get(3), null),
                new BatchDecider.Request(users.get(0), "key-a"), new BatchDecider.Request(users.get(4), null),
                new BatchDecider.Request(users.get(0), null), new BatchDecider.Request(users.get(1), "key-b"));

        List<Long> ids = transactions.execute(status -> batches.insertAll(couponId, winners, LocalDateTime.now()));

        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Object> row = jdbc.queryForMap("SELECT user_id, coupon_id, idempotency_key FROM user_coupon"
                    + " WHERE id = ?", ids.get(i));
            assertThat(((Number) row.get("user_id")).longValue()).as("row %d", i).isEqualTo(winners.get(i).userId());
            assertThat(((Number) row.get("coupon_id")).longValue()).isEqualTo(couponId);
            assertThat(row.get("idempotency_key")).isEqualTo(winners.get(i).idempotencyKey());
        }
        Map<Long, Integer> held = transactions.execute(status -> batches.heldCounts(couponId, users));
        assertThat(held).isEqualTo(Map.of(users.get(0), 2, users.get(1), 1, users.get(3), 1, users.get(4), 1));
        Map<BatchDecider.KeyOfUser, RecordedIssue> recorded = transactions.execute(status -> batches.recorded(List.of(
                new BatchDecider.KeyOfUser(users.get(0), "key-a"), new BatchDecider.KeyOfUser(users.get(1), "key-a"),
                new BatchDecider.KeyOfUser(users.get(1), "key-b"))));
        assertThat(recorded).isEqualTo(Map.of(
                new BatchDecider.KeyOfUser(users.get(0), "key-a"), new RecordedIssue(ids.get(1), couponId),
                new BatchDecider.KeyOfUser(users.get(1), "key-b"), new RecordedIssue(ids.get(4), couponId)));
    }

    @Test
    void issuesOverHttpAndRetryingWithTheSameKeyReturnsTheSameCoupon() {
        long couponId = api.createCoupon(api.newAdmin(), 3, 0);
        ApiClient.TestUser user = api.newUser();

        Response first = api.issue(user, couponId, "retry-1");
        Response retry = api.issue(user, couponId, "retry-1");

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(retry.data().path("userCouponId").asLong()).isEqualTo(first.data().path("userCouponId").asLong());
        assertThat(issuedCount(couponId)).isEqualTo(1);
        assertThat(rows(couponId)).isEqualTo(1);
    }

    @Test
    void onceSoldOutTheInstanceAnswersWithoutTheDatabase() {
        long couponId = api.createCoupon(api.newAdmin(), 1, null);
        ApiClient.TestUser user = api.newUser();
        assertThat(api.issue(user, couponId).status()).isEqualTo(200);
        assertThat(api.issue(user, couponId).reason()).isEqualTo("COUPON_SOLD_OUT");
        long batchesBefore = batchCount();
        long started = System.nanoTime();

        for (int i = 0; i < 20; i++) {
            assertThat(api.issue(user, couponId).reason()).isEqualTo("COUPON_SOLD_OUT");
        }

        // "sold out" is trusted for coupon.issuance.refresh (1 s) from before the batch that saw it, and renewed by
        // one request's batch in its second half: at most one batch per 1/2 s started, however slow the machine
        long refreshes = (System.nanoTime() - started) / Duration.ofMillis(500).toNanos() + 1;
        assertThat(batchCount() - batchesBefore).isLessThan(20).isLessThanOrEqualTo(refreshes);
        assertThat(rows(couponId)).isEqualTo(1);
    }

    @Test
    void anUnknownCouponIsNotFound() {
        Response response = api.issue(api.newUser(), 987_654_321L);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.reason()).isEqualTo("COUPON_NOT_FOUND");
    }

    @Test
    void windowRefusalsArePrecise() {
        ApiClient.TestUser admin = api.newAdmin();
        LocalDateTime now = LocalDateTime.now();
        long notStarted = api.createCoupon(admin, api.couponBody(5, null, now.plusDays(1), now.plusDays(2)));
        ApiClient.TestUser user = api.newUser();

        assertThat(api.issue(user, notStarted).reason()).isEqualTo("COUPON_NOT_STARTED");
        assertThat(api.issue(user, notStarted).reason()).isEqualTo("COUPON_NOT_STARTED");
        assertThat(rows(notStarted)).isZero();
    }

    private long batchCount() {
        return meters.get("coupon.issuance.group-commit.batch").timer().count();
    }

    int rows(long couponId) {
        return coupons.rows(couponId);
    }

    int issuedCount(long couponId) {
        return coupons.issuedCount(couponId);
    }
}
