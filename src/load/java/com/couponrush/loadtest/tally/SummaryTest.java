package com.couponrush.loadtest.tally;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The k6-style summary of a sell-out: refusals after it are the service doing its job, not failures. */
class SummaryTest {

    private static final long START = 1_000_000;

    @Test
    void aSellOutWithNothingWrongPassesEveryCheck() {
        LoadTally tally = new LoadTally();
        record(tally, Outcome.SUCCESS, 100, "200");
        record(tally, Outcome.COUPON_SOLD_OUT, 600, "409 COUPON_SOLD_OUT");
        record(tally, Outcome.PER_USER_LIMIT_REACHED, 40, "409 PER_USER_LIMIT_REACHED");

        Summary summary = tally.summarize(START, START + 10_000);
        String printed = print(summary);

        assertThat(summary.successes()).isEqualTo(100);
        assertThat(summary.expectedRefusals()).isEqualTo(640);
        assertThat(summary.failures()).isZero();
        assertThat(printed).contains(
                "checks_succeeded...................: 100.00% 740 out of 740",
                "checks_failed......................:   0.00% 0 out of 740",
                "✓ status is 200 or an expected refusal",
                "expected_refusals..................: 640",
                "COUPON_SOLD_OUT                   600",
                "PER_USER_LIMIT_REACHED            40",
                "ko.................................: 0 ",
                "http_req_failed................: 0.00% 0 out of 740");
    }

    @Test
    void errorsAndTimeoutsAreKoWithWhatTheyWere() {
        LoadTally tally = new LoadTally();
        record(tally, Outcome.SUCCESS, 90, "200");
        record(tally, Outcome.COUPON_SOLD_OUT, 5, "409 COUPON_SOLD_OUT");
        record(tally, Outcome.LOCK_NOT_ACQUIRED, 2, "409 LOCK_NOT_ACQUIRED");
        record(tally, Outcome.OTHER, 2, "503 OUTCOME_UNKNOWN");
        record(tally, Outcome.NO_RESPONSE, 1, "HttpTimeoutException");

        Summary summary = tally.summarize(START, START + 10_000);
        String printed = print(summary);

        assertThat(summary.failures()).isEqualTo(5);
        assertThat(summary.answeredOutcomeUnknown()).isEqualTo(2);
        assertThat(summary.unanswered()).isEqualTo(1);
        assertThat(printed).contains(
                "checks_failed......................:   5.00% 5 out of 100",
                "✗ status is 200 or an expected refusal",
                "ko.................................: 5 ",
                "LOCK_NOT_ACQUIRED                 2",
                "503 OUTCOME_UNKNOWN               2",
                "HttpTimeoutException              1",
                "http_req_failed................: 5.00% 5 out of 100");
        assertThat(summary.toJson()).containsEntry("expectedRefusals", 5L).containsEntry("failures", 5L);
    }

    private static void record(LoadTally tally, Outcome outcome, int times, String detail) {
        for (int i = 0; i < times; i++) {
            tally.record(outcome, START + i, 1_000, detail);
        }
    }

    private static String print(Summary summary) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        summary.print(new PrintStream(printed, true, StandardCharsets.UTF_8), "TOTAL RESULTS");
        return printed.toString(StandardCharsets.UTF_8);
    }
}
