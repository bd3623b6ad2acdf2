package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutageGuardTest {

    @Test
    void staysFailingUntilASuccessAndAdmitsOneProbeOncePaused() {
        OutageGuard guard = new OutageGuard(Duration.ZERO, Duration.ZERO);
        assertThat(guard.failing()).isFalse();
        assertThat(guard.claimProbe()).as("nothing to probe while healthy").isFalse();

        guard.failed();
        assertThat(guard.failing()).isTrue();
        assertThat(guard.claimProbe()).isTrue();
        assertThat(guard.claimProbe()).as("one probe at a time").isFalse();

        guard.failed();
        assertThat(guard.failing()).as("a failed probe keeps the guard open").isTrue();
        assertThat(guard.claimProbe()).as("and the next pause ends with another probe").isTrue();

        guard.succeeded();
        assertThat(guard.failing()).isFalse();
        assertThat(guard.claimProbe()).isFalse();
    }

    @Test
    void noProbeDuringThePause() {
        OutageGuard guard = new OutageGuard(Duration.ofHours(1), Duration.ofHours(4));
        guard.failed();
        assertThat(guard.paused()).isTrue();
        assertThat(guard.claimProbe()).isFalse();

        guard.succeeded();
        assertThat(guard.paused()).isFalse();
        assertThat(guard.failing()).isFalse();
    }
}
