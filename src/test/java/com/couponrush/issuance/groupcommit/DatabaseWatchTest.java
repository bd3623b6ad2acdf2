package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DatabaseWatchTest {

    private static GroupCommitProperties properties(String batchTimeout) {
        return EngineSettings.with(Map.of("batch-timeout", batchTimeout, "lock-timeout", "1s"));
    }

    @Test
    void aBatchRunningPastHangAfterOpensTheOutageBeforeTheBatchTimeout() {
        GroupCommitProperties settings = properties("2s");
        assertThat(settings.hangAfter()).isEqualTo(Duration.ofMillis(1500));
        DatabaseWatch watch = new DatabaseWatch(settings, Runnable::run);
        DatabaseWatch.InFlight batch = watch.batchStarted(1);
        batch.connected(connection(new CountDownLatch(1)));

        watch.watch(batch.connectedNanos + Duration.ofMillis(1400).toNanos(), Runnable::run, () -> { });
        assertThat(watch.reachable()).as("still within any lock wait").isTrue();

        watch.watch(batch.connectedNanos + Duration.ofMillis(1600).toNanos(), task -> { }, () -> { });
        assertThat(watch.reachable()).as("hung: every coupon refused").isFalse();
        assertThat(batch.aborted()).as("not yet at the batch timeout").isFalse();
    }

    @Test
    void aBatchStillWaitingForAPoolConnectionIsNotTakenForAHungDatabase() {
        DatabaseWatch watch = new DatabaseWatch(properties("2s"), Runnable::run);
        DatabaseWatch.InFlight batch = watch.batchStarted(1);

        watch.watch(batch.startedNanos + Duration.ofSeconds(5).toNanos(), task -> { }, () -> { });

        assertThat(watch.reachable()).isTrue();
        assertThat(watch.waitingLongerThan(batch.startedNanos + Duration.ofSeconds(5).toNanos(), 0)).isZero();
    }

    @Test
    void aBatchPastTheBatchTimeoutHasItsConnectionAborted() throws InterruptedException {
        DatabaseWatch watch = new DatabaseWatch(properties("2s"), Runnable::run);
        DatabaseWatch.InFlight batch = watch.batchStarted(1);
        CountDownLatch aborted = new CountDownLatch(1);
        batch.connected(connection(aborted));

        watch.watch(batch.connectedNanos + Duration.ofMillis(2100).toNanos(), task -> { }, () -> { });

        assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(batch.aborted()).isTrue();
    }

    @Test
    void whileDownAProbeAfterThePauseEndsTheOutageWhenItSucceeds() {
        DatabaseWatch watch = new DatabaseWatch(properties("2s"), Runnable::run);
        watch.unreachable();
        assertThat(watch.reachable()).isFalse();
        AtomicBoolean probed = new AtomicBoolean();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            watch.watch(System.nanoTime(), Runnable::run, () -> probed.set(true));
            return probed.get();
        });
        assertThat(watch.reachable()).isTrue();
    }

    /** A connection whose abort counts down the latch; nothing else is called on it here. */
    private Connection connection(CountDownLatch aborted) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("abort")) {
                        aborted.countDown();
                    }
                    return null;
                });
    }
}
