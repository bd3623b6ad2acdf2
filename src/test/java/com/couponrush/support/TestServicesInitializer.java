package com.couponrush.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points a Spring context at a fresh database of the JVM's {@link TestDatabase} and at the test Redis. */
public class TestServicesInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String JWT_SECRET = "coupon-rush-test-secret-0123456789abcdef";
    public static final String SIGN_UPS_PER_ADDRESS = "app.throttle.sign-up.per-address";
    /** Every test user signs up from 127.0.0.1, thousands per context; a test of the throttle sets its own. */
    public static final String TEST_SIGN_UPS_PER_ADDRESS = "1000000";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestServices.Database database = TestServices.freshDatabase(TestDatabase.current());
        TestServices.RedisEndpoint redis = TestServices.redis();
        TestPropertyValues.of(
                "spring.datasource.url=" + database.url(),
                "spring.datasource.username=" + database.user(),
                "spring.datasource.password=" + database.password(),
                "spring.data.redis.host=" + redis.host(),
                "spring.data.redis.port=" + redis.port(),
                "spring.data.redis.database=" + TestServices.randomRedisDatabase(),
                "app.jwt.secret=" + JWT_SECRET,
                // The test JVM caches several contexts, each with its own pool; idle connections are handed back
                // so that together they stay far below the server's max_connections (100 on PostgreSQL).
                "spring.datasource.hikari.minimum-idle=1",
                "spring.datasource.hikari.idle-timeout=10000"
        ).applyTo(context);
        if (!context.getEnvironment().containsProperty(SIGN_UPS_PER_ADDRESS)) {
            TestPropertyValues.of(SIGN_UPS_PER_ADDRESS + "=" + TEST_SIGN_UPS_PER_ADDRESS).applyTo(context);
        }
    }
}
