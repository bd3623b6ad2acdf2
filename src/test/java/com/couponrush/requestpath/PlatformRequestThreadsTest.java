package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformRequestThreadsTest {

    @Test
    void sixteenPerCoreAndNeverMoreThanTomcatsOwn() {
        assertThat(PlatformRequestThreads.forCores(1)).isEqualTo(16);
        assertThat(PlatformRequestThreads.forCores(2)).isEqualTo(32);
        assertThat(PlatformRequestThreads.forCores(8)).isEqualTo(128);
        assertThat(PlatformRequestThreads.forCores(13)).isEqualTo(200);
        assertThat(PlatformRequestThreads.forCores(64)).isEqualTo(200);
    }
}
