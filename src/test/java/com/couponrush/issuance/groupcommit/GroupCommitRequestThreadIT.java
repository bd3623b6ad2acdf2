package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.CouponFixtures;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.StatementLog;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The request thread never touches the database: whatever an issuance needs from it is read by a batch, on an
 * engine thread, under the outage guard and the batch's time limits. A frozen database then holds up engine
 * threads only, never the threads that admit requests and answer the others. The test records the thread of every
 * statement ({@link StatementLog}) while it sends every kind of issuance: plain, keyed, a keyed retry of an issued
 * coupon, and plain and keyed requests for a sold-out and an ended coupon, which the lane answers from what it
 * remembers (the refresh interval is long so that it remembers throughout).
 */
@IntegrationTest
@Import(StatementLog.class)
@TestPropertySource(properties = "coupon.issuance.refresh=1m")
class GroupCommitRequestThreadIT {

    private static final String ENGINE_THREADS = "group-commit-";

    @Autowired
    ApiClient api;
    @Autowired
    CouponFixtures coupons;
    @Autowired
    StatementLog statements;

    private record Sent(String what, Response answer) {

        String heard() {
            return answer.status() == 200 ? "200" : answer.reason();
        }
    }

    @Test
    void everyStatementOfEveryKindOfIssuanceRunsOnAnEngineThread() {
        long open = coupons.openCoupon(1_000, 0);
        long soldOut = coupons.openCoupon(1, 0);
        LocalDateTime now = LocalDateTime.now();
        long ended = coupons.coupon(10, 0, now.minusDays(2), now.minusDays(1));
        List<ApiClient.TestUser> users = api.newUsers(3);
        ApiClient.TestUser first = users.get(0);
        ApiClient.TestUser second = users.get(1);
        ApiClient.TestUser third = users.get(2);

        int mark = statements.mark();
        List<Sent> sent = new ArrayList<>();
        sent.add(new Sent("plain", api.issue(first, open)));
        sent.add(new Sent("keyed", api.issue(first, open, "open")));
        sent.add(new Sent("keyed retry", api.issue(first, open, "open")));
        sent.add(new Sent("keyed, the last coupon", api.issue(second, soldOut, "last")));
        sent.add(new Sent("keyed retry after the sell-out", api.issue(second, soldOut, "last")));
        sent.add(new Sent("plain, sold out", api.issue(third, soldOut)));
        sent.add(new Sent("keyed, sold out", api.issue(third, soldOut, "too-late")));
        sent.add(new Sent("keyed retry, sold out", api.issue(third, soldOut, "too-late")));
        sent.add(new Sent("a key of another coupon, sold out", api.issue(first, soldOut, "open")));
        sent.add(new Sent("plain, ended", api.issue(third, ended)));
        sent.add(new Sent("plain again, ended", api.issue(third, ended)));
        sent.add(new Sent("keyed, ended", api.issue(third, ended, "ended")));
        sent.add(new Sent("keyed retry, ended", api.issue(third, ended, "ended")));
        List<StatementLog.Executed> phase = statements.since(mark);

        List<StatementLog.Executed> offTheEngine = phase.stream()
                .filter(executed -> !executed.thread().startsWith(ENGINE_THREADS))
                // the live pages' sampler reads the coupons on a timer of its own, not for any request
                .filter(executed -> !executed.thread().equals("live-sampler"))
                // nor does the waiting line's decider, which looks for open lines every period
                .filter(executed -> !executed.thread().equals("line-decider")).toList();
        System.out.printf("group-commit, %d issuances of every kind: %s; statements by thread %s; off the engine's"
                        + " threads %d %s%n", sent.size(), sent.stream().map(s -> s.what() + " " + s.heard()).toList(),
                statements.byThread(mark), offTheEngine.size(), offTheEngine);

        assertThat(sent).extracting(Sent::heard).containsExactly("200", "200", "200", "200", "200",
                "COUPON_SOLD_OUT", "COUPON_SOLD_OUT", "COUPON_SOLD_OUT", "IDEMPOTENCY_KEY_REUSED",
                "COUPON_ENDED", "COUPON_ENDED", "COUPON_ENDED", "COUPON_ENDED");
        assertThat(sent.get(2).answer().data().path("userCouponId").asLong()).as("the keyed retry's coupon")
                .isEqualTo(sent.get(1).answer().data().path("userCouponId").asLong());
        assertThat(sent.get(4).answer().data().path("userCouponId").asLong())
                .as("the keyed retry's coupon after the sell-out")
                .isEqualTo(sent.get(3).answer().data().path("userCouponId").asLong());
        assertThat(phase).as("statements of the engine's batches").isNotEmpty();
        assertThat(offTheEngine).as("statements on threads other than the engine's").isEmpty();
        assertThat(coupons.rows(open)).isEqualTo(coupons.issuedCount(open)).isEqualTo(2);
        assertThat(coupons.rows(soldOut)).isEqualTo(coupons.issuedCount(soldOut)).isEqualTo(1);
        assertThat(coupons.rows(ended)).isZero();
    }
}
