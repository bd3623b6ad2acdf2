package com.couponrush.requestpath;

/**
 * How many request threads the connector has on platform threads (Java 17) when {@code server.tomcat.threads.max}
 * is not set: a few per core, at most Tomcat's own 200. Issuing answers asynchronously, so a request waiting for
 * its batch holds no thread, and under a crowd every request thread is runnable at once. Linux shares the CPU per
 * runnable thread, so what counts is threads per core: with many, the engine's drainers (which decide a rush's
 * first requests), the JIT compiler and the database each get a sliver, and the rush's opening is decided late.
 */
final class PlatformRequestThreads {

    static final int PER_CORE = 16;
    static final int MAX = 200;

    private PlatformRequestThreads() {
    }

    static int forCores(int cores) {
        return Math.min(MAX, PER_CORE * Math.max(1, cores));
    }
}
