package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * A flash crowd on virtual threads, without the service: a platform thread (the connector's poller) keeps starting
 * short requests for two thousand connections, each starting its next request as soon as its last one ends, so
 * that new requests never run out. Meanwhile requests that wait elsewhere must still run: those waiting for an
 * answer that another platform thread completes (the issuance engine's), and those handed a contended monitor by
 * the JVM. Started all at once, as the connector starts them without turns, these waited for seconds, some past
 * any client's timeout; started in turns, within a fraction of the bound asserted here.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class RequestStartsInTurnsFloodTest {

    private static final int CONNECTIONS = 2_000;
    private static final int WAITING_FOR_ANSWERS = 500;
    private static final int ROUNDS = 3;
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Object CONTENDED = new Object();

    @Test
    void twoThousandConnectionsFloodingWhileAnswersArriveFromAnotherThreadThreeTimes() throws Exception {
        RequestStartsInTurns starts = new RequestStartsInTurns(new VirtualThreadTaskExecutor("flood-"),
                RequestStartsInTurns.TURN);
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong longestMonitorWait = new AtomicLong();
        Thread poller = new Thread(() -> flood(starts, flooding, longestMonitorWait), "flood-poller");
        try {
            poller.start();
            Thread.sleep(500);
            longestMonitorWait.set(0);
            long lastRunAfterAnswer = 0;
            // each time from a new thread: the scheduler queues what a thread wakes by that thread
            for (int round = 1; round <= ROUNDS; round++) {
                lastRunAfterAnswer = Math.max(lastRunAfterAnswer, answerWaitingRequests(starts, round));
            }

            System.out.printf("[flood] %d connections: %d times %d waiting requests, the last of which ran %.0f ms "
                            + "after its answer; the longest wait for a contended monitor meanwhile %.0f ms%n",
                    CONNECTIONS, ROUNDS, WAITING_FOR_ANSWERS, lastRunAfterAnswer / 1e6,
                    longestMonitorWait.get() / 1e6);
            assertThat(Duration.ofNanos(lastRunAfterAnswer)).as("the last waiting request ran after its answer")
                    .isLessThan(BOUND);
            assertThat(Duration.ofNanos(longestMonitorWait.get())).as("the longest wait for a contended monitor")
                    .isLessThan(BOUND);
        } finally {
            flooding.set(false);
            poller.join(10_000);
            starts.close();
        }
    }

    /** Starts requests that wait for an answer, answers them all from a new thread: how long until the last ran. */
    private static long answerWaitingRequests(RequestStartsInTurns starts, int round) throws InterruptedException {
        CountDownLatch waiting = new CountDownLatch(WAITING_FOR_ANSWERS);
        CountDownLatch ran = new CountDownLatch(WAITING_FOR_ANSWERS);
        AtomicLong answeredAt = new AtomicLong();
        AtomicLong lastRunAfterAnswer = new AtomicLong();
        CompletableFuture<String> answer = new CompletableFuture<>();
        for (int request = 0; request < WAITING_FOR_ANSWERS; request++) {
            starts.execute(() -> {
                waiting.countDown();
                answer.join();
                lastRunAfterAnswer.accumulateAndGet(System.nanoTime() - answeredAt.get(), Math::max);
                ran.countDown();
            });
        }
        assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the requests of round %d began to wait", round)
                .isTrue();
        Thread engine = new Thread(() -> {
            answeredAt.set(System.nanoTime());
            answer.complete("issued");
        }, "flood-engine-" + round);
        engine.start();
        assertThat(ran.await(60, TimeUnit.SECONDS)).as("every waiting request of round %d ran", round).isTrue();
        return lastRunAfterAnswer.get();
    }

    /** Each connection's next request is started as soon as its last one has ended, until told to stop. */
    private static void flood(RequestStartsInTurns starts, AtomicBoolean flooding, AtomicLong longestMonitorWait) {
        BlockingQueue<Integer> ready = new LinkedBlockingQueue<>();
        for (int connection = 0; connection < CONNECTIONS; connection++) {
            ready.add(connection);
        }
        try {
            while (flooding.get()) {
                Integer connection = ready.poll(100, TimeUnit.MILLISECONDS);
                if (connection == null) {
                    continue;
                }
                starts.execute(() -> {
                    work(Duration.ofNanos(50_000));
                    if (connection % 10 == 0) {
                        long asked = System.nanoTime();
                        synchronized (CONTENDED) {
                            longestMonitorWait.accumulateAndGet(System.nanoTime() - asked, Math::max);
                            work(Duration.ofNanos(5_000));
                        }
                    }
                    work(Duration.ofNanos(50_000));
                    ready.add(connection);
                });
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request's own work: the carrier is busy, as it is when a request runs, rather than parked. */
    private static void work(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }
}
