package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class PlatformRequestThreadsTest {

    @Test
    void sixteenPerCoreAndNeverMoreThanTomcatsOwn() {
        assertThat(PlatformRequestThreads.forCores(1)).isEqualTo(16);
        assertThat(PlatformRequestThreads.forCores(2)).isEqualTo(32);
        assertThat(PlatformRequestThreads.forCores(8)).isEqualTo(128);
        assertThat(PlatformRequestThreads.forCores(13)).isEqualTo(200);
        assertThat(PlatformRequestThreads.forCores(64)).isEqualTo(200);
    }

    @Test
    void theDefaultIsForThisMachinesCoresAndAnySettingOverridesIt() {
        StandardEnvironment unset = new StandardEnvironment();
        new PlatformRequestThreads().postProcessEnvironment(unset, new SpringApplication());
        assertThat(unset.getProperty("server.tomcat.threads.max", Integer.class))
                .isEqualTo(PlatformRequestThreads.forCores(Runtime.getRuntime().availableProcessors()));

        StandardEnvironment set = new StandardEnvironment();
        set.getPropertySources().addFirst(new MapPropertySource("operator", Map.of("server.tomcat.threads.max", 7)));
        new PlatformRequestThreads().postProcessEnvironment(set, new SpringApplication());
        assertThat(set.getProperty("server.tomcat.threads.max", Integer.class)).isEqualTo(7);
    }
}
