package com.couponrush.lock;

import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.util.StringUtils;

/**
 * Redisson reads the same {@code spring.data.redis.*} settings as Lettuce, so one set of environment
 * variables points both clients at one Redis. The client connects when it is created, so it is created
 * lazily, on the first Redisson lock: a service that never uses one starts and runs without Redis.
 */
@Configuration(proxyBeanMethods = false)
class RedissonConfiguration {

    @Bean(destroyMethod = "shutdown")
    @Lazy
    RedissonClient redissonClient(DataRedisProperties redis) {
        Config config = new Config();
        SingleServerConfig server = config.useSingleServer()
                .setAddress(address(redis))
                .setDatabase(redis.getDatabase())
                .setConnectionMinimumIdleSize(4)
                .setSubscriptionConnectionMinimumIdleSize(1);
        if (StringUtils.hasText(redis.getUsername())) {
            config.setUsername(redis.getUsername());
        }
        if (StringUtils.hasText(redis.getPassword())) {
            config.setPassword(redis.getPassword());
        }
        if (redis.getTimeout() != null) {
            server.setTimeout(millis(redis.getTimeout()));
        }
        if (redis.getConnectTimeout() != null) {
            server.setConnectTimeout(millis(redis.getConnectTimeout()));
        }
        return Redisson.create(config);
    }

    private static String address(DataRedisProperties redis) {
        if (StringUtils.hasText(redis.getUrl())) {
            return redis.getUrl();
        }
        String scheme = redis.getSsl().isEnabled() ? "rediss://" : "redis://";
        return scheme + redis.getHost() + ":" + redis.getPort();
    }

    private static int millis(Duration duration) {
        return Math.toIntExact(duration.toMillis());
    }
}
