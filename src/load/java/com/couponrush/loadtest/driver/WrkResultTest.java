package com.couponrush.loadtest.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.loadtest.tally.Outcome;
import com.couponrush.loadtest.tally.Summary;
import org.junit.jupiter.api.Test;

class WrkResultTest {

    /** What wrk 4.1 printed for a run of src/load/scripts/wrk.lua, with refusals and socket errors added. */
    private static final String OUTPUT = """
            Running 20s test @ http://127.0.0.1:41203
              2 threads and 500 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   231.52ms   63.10ms 702.44ms   71.40%
                Req/Sec     1.05k   212.31     1.60k    70.25%
              Latency Distribution
                 50%  226.10ms
                 75%  262.84ms
                 90%  305.77ms
                 99%  421.05ms
              41822 requests in 20.03s, 10.51MB read
            Requests/sec:   2088.02
            Transfer/sec:    537.13KB
            wrk-run seconds=20.031 sent=42330
            wrk-errors connect=0 read=3 write=0 timeout=0
            wrk-latency mean=231520 min=1843 max=702440 p50=226100 p90=305770 p95=338012 p99=421050
            wrk-answer 200 41700
            wrk-answer 409 COUPON_SOLD_OUT 100
            wrk-answer 503 STORAGE_UNAVAILABLE 16
            wrk-answer 503 OUTCOME_UNKNOWN 4
            wrk-answer 500 - 2
            """;

    @Test
    void countsAnswersByTheirReasonAndSocketErrorsAsNoResponse() {
        Summary measured = WrkResult.parse(OUTPUT).measured();

        assertThat(measured.successes()).isEqualTo(41_700);
        assertThat(measured.byOutcome().get(Outcome.COUPON_SOLD_OUT)).isEqualTo(100);
        assertThat(measured.byOutcome().get(Outcome.OTHER)).isEqualTo(22);
        assertThat(measured.byOutcome().get(Outcome.NO_RESPONSE)).isEqualTo(3);
        assertThat(measured.others()).containsEntry("503 STORAGE_UNAVAILABLE", 16L)
                .containsEntry("503 OUTCOME_UNKNOWN", 4L).containsEntry("500 -", 2L)
                .containsEntry("socket errors (connect, read, write, timeout)", 3L);
        assertThat(measured.requests()).isEqualTo(41_700 + 100 + 22 + 3);
        assertThat(measured.successesPerSecond()).isCloseTo(41_700 / 20.031, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void soldOutIsAnExpectedRefusalAndEveryErrorIsKo() {
        Summary measured = WrkResult.parse(OUTPUT).measured();

        assertThat(measured.expectedRefusals()).isEqualTo(100);
        assertThat(measured.failures()).as("503s, the 500 and the socket errors").isEqualTo(16 + 4 + 2 + 3);
    }

    @Test
    void answersThatLeaveTheOutcomeUnknownCountAsPossiblyIssued() {
        // 503 OUTCOME_UNKNOWN: the batch's commit was in flight when the database stopped answering; 503
        // STORAGE_UNAVAILABLE wrote nothing, and the socket errors are counted as unanswered instead
        assertThat(WrkResult.parse(OUTPUT).measured().answeredOutcomeUnknown()).isEqualTo(4);
    }

    @Test
    void latencyIsInMillisecondsFromWrksMicroseconds() {
        Summary.Latency latency = WrkResult.parse(OUTPUT).measured().latency();

        assertThat(latency.avg()).isEqualTo(231.52);
        assertThat(latency.min()).isEqualTo(1.843);
        assertThat(latency.med()).isEqualTo(226.1);
        assertThat(latency.p95()).isEqualTo(338.012);
        assertThat(latency.p99()).isEqualTo(421.05);
        assertThat(latency.max()).isEqualTo(702.44);
    }

    @Test
    void requestsSentButNeverAnsweredAreUnknownToTheIntegrityCheck() {
        // 42,330 sent, 41,822 answered: 508 were in flight when wrk stopped or lost to a socket error
        assertThat(WrkResult.parse(OUTPUT).unanswered()).isEqualTo(42_330 - 41_822);
    }

    @Test
    void wrkRunWithoutTheScriptIsRefused() {
        assertThatThrownBy(() -> WrkResult.parse("Running 20s test @ http://127.0.0.1:8080\nRequests/sec: 10.0\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrk.lua");
    }
}
