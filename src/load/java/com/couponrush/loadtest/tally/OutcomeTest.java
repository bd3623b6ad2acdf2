package com.couponrush.loadtest.tally;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomeTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
            "200, , SUCCESS",
            "202, , IN_LINE",
            "409, COUPON_SOLD_OUT, COUPON_SOLD_OUT",
            "409, PER_USER_LIMIT_REACHED, PER_USER_LIMIT_REACHED",
            "409, COUPON_NOT_STARTED, COUPON_NOT_STARTED",
            "409, COUPON_ENDED, COUPON_ENDED",
            "409, COUPON_PAUSED, COUPON_PAUSED",
            "429, ALREADY_IN_LINE, ALREADY_IN_LINE",
            "422, IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_REUSED"})
    void issuancesAndTheRefusalsTheCouponsRulesCallForAreExpected(int status, String reason, Outcome outcome) {
        assertThat(Outcome.of(status, reason)).isEqualTo(outcome);
        assertThat(outcome.expected()).isTrue();
        assertThat(outcome.ko()).isFalse();
        assertThat(outcome.expectedRefusal()).isEqualTo(outcome != Outcome.SUCCESS);
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
            "409, LOCK_NOT_ACQUIRED, LOCK_NOT_ACQUIRED",
            "503, SERVICE_OVERLOADED, SERVICE_OVERLOADED",
            "503, STORAGE_UNAVAILABLE, OTHER",
            "503, OUTCOME_UNKNOWN, OTHER",
            "503, SHUTTING_DOWN, OTHER",
            "500, , OTHER",
            "401, UNAUTHENTICATED, OTHER",
            "500, COUPON_SOLD_OUT, OTHER",
            "409, SUCCESS, OTHER"})
    void errorsAndAnswersNoRuleExplainsAreKo(int status, String reason, Outcome outcome) {
        assertThat(Outcome.of(status, reason)).isEqualTo(outcome);
        assertThat(outcome.ko()).isTrue();
        assertThat(outcome.expectedRefusal()).isFalse();
    }
}
