package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.StatementLog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A batch locks the coupon's waiting line only when the coupon has one: the coupon row it locks says so, and the
 * first join sets that under the same lock. A coupon that never had a line costs its batches no statement on the
 * line; once a join opened one, every batch locks it. The statements are the engine threads' ({@link StatementLog});
 * the line's own decider reads lines on a thread of its own. The configuration is {@code GroupCommitRequestThreadIT}'s,
 * so that Spring's test context cache starts one service for both.
 */
@IntegrationTest
@Import(StatementLog.class)
@TestPropertySource(properties = "coupon.issuance.refresh=1m")
class GroupCommitLineRowIT {

    private static final String ENGINE_THREADS = "group-commit-";

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    StatementLog statements;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aBatchLocksTheLineOnlyOnceAJoinHasOpenedOne() {
        long couponId = coupons.openCoupon(100, 1);
        List<ApiClient.TestUser> users = api.newUsers(3);

        int beforeTheLine = statements.mark();
        Response direct = api.issue(users.get(0), couponId);
        List<String> withoutALine = lineStatementsOfBatches(beforeTheLine);

        assertThat(direct.status()).as(direct.toString()).isEqualTo(200);
        assertThat(lineOpened(couponId)).isFalse();
        assertThat(withoutALine).as("line statements of a batch of a coupon that never had a line").isEmpty();

        Response joined = api.post("/api/v1/coupons/" + couponId + "/line", null, users.get(1).token());
        assertThat(joined.status()).as(joined.toString()).isIn(200, 202);
        assertThat(lineOpened(couponId)).as("the join marked the coupon row").isTrue();

        int afterTheLine = statements.mark();
        Response behindTheLine = api.issue(users.get(2), couponId);
        List<String> withALine = lineStatementsOfBatches(afterTheLine);

        System.out.printf("line statements of batches: without a line %s, with one %s%n", withoutALine, withALine);
        assertThat(behindTheLine.status()).as(behindTheLine.toString()).isIn(200, 202);
        assertThat(withALine).as("line statements of a batch once the coupon has a line")
                .anyMatch(sql -> sql.contains("from waiting_line") && sql.endsWith("for update"));
        assertThat(coupons.rows(couponId)).isEqualTo(coupons.issuedCount(couponId));
    }

    private List<String> lineStatementsOfBatches(int mark) {
        return statements.since(mark).stream().filter(executed -> executed.thread().startsWith(ENGINE_THREADS))
                .map(StatementLog.Executed::normalisedSql).filter(sql -> sql.contains("waiting_")).toList();
    }

    private boolean lineOpened(long couponId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT line_opened FROM coupon WHERE id = ?", Boolean.class,
                couponId));
    }
}
