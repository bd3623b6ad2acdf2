package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AsyncAnswerTimeoutTest {

    private static final Duration ANSWER_BOUND = Duration.ofSeconds(6);

    @Test
    void withoutAConfiguredTimeoutTheContainerWaitsTwiceTheEnginesBound() {
        assertThat(AsyncAnswerTimeout.asyncRequestTimeout(ANSWER_BOUND, null)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aLongerOrNoConfiguredTimeoutIsKept() {
        assertThat(AsyncAnswerTimeout.asyncRequestTimeout(ANSWER_BOUND, Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(AsyncAnswerTimeout.asyncRequestTimeout(ANSWER_BOUND, Duration.ofMillis(-1)))
                .isEqualTo(Duration.ofMillis(-1));
    }

    @Test
    void aTimeoutThatCouldCutInBeforeTheEnginesAnswerIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AsyncAnswerTimeout.asyncRequestTimeout(ANSWER_BOUND, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.mvc.async.request-timeout");
    }
}
