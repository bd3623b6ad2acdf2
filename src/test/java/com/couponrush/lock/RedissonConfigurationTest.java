package com.couponrush.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.couponrush.support.TestServices;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessResourceFailureException;

/** Without Redis the service still starts; only a Redisson lock needs it, and then fails as storage unavailable. */
class RedissonConfigurationTest {

    final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(RedissonConfiguration.class, RedissonFairLock.class)
            .withBean(DataRedisProperties.class, () -> {
                DataRedisProperties nobodyListening = new DataRedisProperties();
                nobodyListening.setHost("127.0.0.1");
                nobodyListening.setPort(TestServices.freePort());
                nobodyListening.setConnectTimeout(Duration.ofMillis(300));
                nobodyListening.setTimeout(Duration.ofMillis(300));
                return nobodyListening;
            });

    @Test
    void theClientIsNotCreatedUntilALockNeedsIt() {
        contexts.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanFactory().containsSingleton("redissonClient")).isFalse();
        });
    }

    @Test
    void aLockWithoutRedisIsStorageUnavailable() {
        contexts.run(context -> assertThatThrownBy(() -> context.getBean(RedissonFairLock.class)
                .hold("lock:coupon:1", 100, 1_000, TimeUnit.MILLISECONDS))
                .isInstanceOf(DataAccessResourceFailureException.class));
    }
}
