package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IssuanceAsyncConfigTest {

    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void theEnginesOwn503ComesBeforeTheContainersAsyncTimeout() {
        assertThat(IssuanceAsyncConfig.asyncRequestTimeout(WAIT_TIMEOUT, null)).isEqualTo(Duration.ofSeconds(6));
        assertThat(IssuanceAsyncConfig.asyncRequestTimeout(WAIT_TIMEOUT, Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aLongerOrNoConfiguredTimeoutIsKept() {
        assertThat(IssuanceAsyncConfig.asyncRequestTimeout(WAIT_TIMEOUT, Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(IssuanceAsyncConfig.asyncRequestTimeout(WAIT_TIMEOUT, Duration.ofMillis(-1)))
                .isEqualTo(Duration.ofMillis(-1));
    }
}
