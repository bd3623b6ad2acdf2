package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.support.CouponFixtures;
import com.couponrush.support.ExperimentStrategies;
import com.couponrush.support.IntegrationTest;
import com.couponrush.support.TestUsers;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The refusals and the idempotency every strategy gives alike, one request at a time, on every database. */
@IntegrationTest
class IssuanceRulesIT {

    @Autowired
    IssuanceService issuance;
    @Autowired
    IssuanceStrategies strategies;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder passwordEncoder;

    CouponFixtures coupons;
    long userId;

    @BeforeEach
    void fixtures() {
        coupons = new CouponFixtures(jdbc);
        userId = TestUsers.insert(jdbc, passwordEncoder, 1).get(0);
    }

    @Test
    void theExperimentCoversEverySafeStrategy() {
        assertThat(strategies.names().stream().filter(name -> strategies.get(name).safe())
                .collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(ExperimentStrategies.SAFE);
        assertThat(strategies.get(ExperimentStrategies.UNSAFE).safe()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.couponrush.support.ExperimentStrategies#all")
    void outsideTheWindowNothingIsIssued(String strategy) {
        LocalDateTime now = LocalDateTime.now();
        long upcoming = coupons.coupon(10, 0, now.plusDays(1), now.plusDays(2));
        long ended = coupons.coupon(10, 0, now.minusDays(2), now.minusDays(1));

        assertRefused(strategy, upcoming, ErrorCode.COUPON_NOT_STARTED);
        assertRefused(strategy, ended, ErrorCode.COUPON_ENDED);
        assertRefused(strategy, Long.MAX_VALUE, ErrorCode.COUPON_NOT_FOUND);
        assertThat(List.of(coupons.rows(upcoming), coupons.issuedCount(upcoming), coupons.rows(ended),
                coupons.issuedCount(ended))).containsOnly(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.couponrush.support.ExperimentStrategies#all")
    void aPausedCouponIsRefusedUntilResumed(String strategy) {
        long couponId = coupons.openCoupon(10, 0);

        jdbc.update("UPDATE coupon SET paused = TRUE WHERE id = ?", couponId);
        assertRefused(strategy, couponId, ErrorCode.COUPON_PAUSED);
        assertThat(coupons.rows(couponId)).isZero();
        jdbc.update("UPDATE coupon SET paused = FALSE WHERE id = ?", couponId);
        issue(strategy, couponId, null);
        assertThat(coupons.rows(couponId)).isEqualTo(1);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.couponrush.support.ExperimentStrategies#all")
    void theLastCouponGoesOnceThenSoldOut(String strategy) {
        long couponId = coupons.openCoupon(1, 0);

        issue(strategy, couponId, null);
        assertRefused(strategy, couponId, ErrorCode.COUPON_SOLD_OUT);
        assertThat(coupons.rows(couponId)).isEqualTo(1);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.couponrush.support.ExperimentStrategies#all")
    void aUserGetsUpToThePerUserLimit(String strategy) {
        long couponId = coupons.openCoupon(10, 2);

        issue(strategy, couponId, null);
        issue(strategy, couponId, null);
        assertRefused(strategy, couponId, ErrorCode.PER_USER_LIMIT_REACHED);
        assertThat(coupons.rows(couponId)).isEqualTo(2);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.couponrush.support.ExperimentStrategies#all")
    void aRetryWithTheSameIdempotencyKeyIssuesOnce(String strategy) {
        long couponId = coupons.openCoupon(10, 0);

        IssuedCoupon first = issue(strategy, couponId, "retry-1");
        IssuedCoupon retry = issue(strategy, couponId, "retry-1");
        IssuedCoupon other = issue(strategy, couponId, "retry-2");

        assertThat(retry).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(coupons.rows(couponId)).isEqualTo(2);
        assertThat(coupons.issuedCount(couponId)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.couponrush.support.ExperimentStrategies#all")
    void aKeyUsedForOneCouponIsRefusedForAnotherAndStillReplaysForItsOwn(String strategy) {
        long first = coupons.openCoupon(10, 0);
        long second = coupons.openCoupon(10, 0);
        IssuedCoupon issued = issue(strategy, first, "one-request");

        assertThatThrownBy(() -> issue(strategy, second, "one-request")).isInstanceOfSatisfying(ApiException.class,
                refusal -> assertThat(refusal.errorCode()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED));
        assertThat(issue(strategy, first, "one-request")).isEqualTo(issued);
        assertThat(coupons.rows(second)).isZero();
        assertThat(coupons.issuedCount(second)).isZero();
    }

    private IssuedCoupon issue(String strategy, long couponId, String idempotencyKey) {
        return issuance.issue(strategies.get(strategy), new IssueCommand(couponId, userId, idempotencyKey));
    }

    private void assertRefused(String strategy, long couponId, ErrorCode reason) {
        assertThatThrownBy(() -> issue(strategy, couponId, null))
                .isInstanceOfSatisfying(ApiException.class, refusal -> assertThat(refusal.errorCode()).isEqualTo(reason));
    }
}
