package com.couponrush.requestpath;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The connector's request threads on platform threads (Java 17; virtual threads ignore the setting): a few per core,
 * at most Tomcat's own 200, as the default of {@code server.tomcat.threads.max}, which any setting overrides.
 *
 * <p>Why: issuing answers asynchronously, so a request waiting for its batch holds no thread, and under a crowd every
 * request thread is runnable at once. Linux shares the CPU per runnable thread, so what counts is threads per core:
 * with many, the engine's drainers (which decide a rush's first requests), the JIT compiler and the database each
 * get a sliver, and the rush's opening is decided late. A default property rather than a connector customizer, so
 * that the benchmark's bare framework app, started from this jar's libraries, gets the same threads as the service.
 */
public final class PlatformRequestThreads implements EnvironmentPostProcessor {

    static final String MAX_THREADS = "server.tomcat.threads.max";
    static final int PER_CORE = 16;
    static final int MAX = 200;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("platformRequestThreads",
                Map.of(MAX_THREADS, forCores(Runtime.getRuntime().availableProcessors()))));
    }

    static int forCores(int cores) {
        return Math.min(MAX, PER_CORE * Math.max(1, cores));
    }
}
