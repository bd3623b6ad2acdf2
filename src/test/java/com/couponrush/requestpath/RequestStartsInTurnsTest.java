package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The turns themselves, with threads that start only when the test lets them run. */
class RequestStartsInTurnsTest {

    private final HeldThreads threads = new HeldThreads();
    private final List<RequestStartsInTurns> executors = new ArrayList<>();

    @AfterEach
    void closeExecutors() {
        executors.forEach(RequestStartsInTurns::close);
    }

    @Test
    void aTurnStartsOnlyOnceEveryThreadOfThePreviousOneRuns() {
        RequestStartsInTurns starts = inTurnsOf(3);
        List<String> ran = new CopyOnWriteArrayList<>();
        // A first turn of one task, held: the seven after it wait behind it however the starter's thread is timed
        // (a starter that runs between two submissions starts a turn of those there are, as it should).
        starts.execute(() -> ran.add("first"));
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.started() == 1);
        for (int task = 1; task <= 7; task++) {
            String name = "task " + task;
            starts.execute(() -> ran.add(name));
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> threads.started() == 1);

        threads.runOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.started() == 4);
        threads.runOne();
        threads.runOne();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> threads.started() == 4);
        assertThat(starts.notYetRunning()).isEqualTo(1);

        threads.runOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.started() == 7);
        threads.runOne();
        threads.runOne();
        threads.runOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.started() == 8);
        threads.runOne();

        assertThat(ran).containsExactly("first", "task 1", "task 2", "task 3", "task 4", "task 5", "task 6",
                "task 7");
        assertThat(starts.notYetRunning()).isZero();
    }

    @Test
    void everyTaskStartsWhenManyThreadsHandThemInAtOnce() throws InterruptedException {
        RequestStartsInTurns starts = new RequestStartsInTurns(task -> new Thread(task).start(), 4);
        executors.add(starts);
        int submitters = 8;
        int tasksEach = 500;
        CountDownLatch allRan = new CountDownLatch(submitters * tasksEach);
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        try {
            for (int submitter = 0; submitter < submitters; submitter++) {
                pool.execute(() -> {
                    for (int task = 0; task < tasksEach; task++) {
                        starts.execute(allRan::countDown);
                    }
                });
            }
            assertThat(allRan.await(30, TimeUnit.SECONDS)).as("every task ran").isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onceClosedTasksStartAtOnce() {
        RequestStartsInTurns starts = inTurnsOf(1);
        starts.execute(() -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.started() == 1);
        starts.execute(() -> { });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> threads.started() == 1);

        starts.close();
        starts.execute(() -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> threads.started() == 3);
    }

    @Test
    void aTaskWhoseThreadCannotStartStillRuns() {
        AtomicInteger ran = new AtomicInteger();
        RequestStartsInTurns starts = new RequestStartsInTurns(task -> {
            throw new RejectedExecutionException("no thread");
        }, 2);
        executors.add(starts);

        starts.execute(ran::incrementAndGet);
        starts.execute(ran::incrementAndGet);
        starts.execute(ran::incrementAndGet);

        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 3);
        assertThat(starts.notYetRunning()).isZero();
    }

    private RequestStartsInTurns inTurnsOf(int turn) {
        RequestStartsInTurns starts = new RequestStartsInTurns(threads, turn);
        executors.add(starts);
        return starts;
    }

    /** Starts a "thread" for each task that begins to run only when the test says so, in the order started. */
    private static final class HeldThreads implements java.util.concurrent.Executor {

        private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        private final AtomicInteger started = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            held.add(task);
            started.incrementAndGet();
        }

        int started() {
            return started.get();
        }

        void runOne() {
            Runnable next = held.poll();
            assertThat(next).as("a started thread waiting to run").isNotNull();
            next.run();
        }
    }
}
