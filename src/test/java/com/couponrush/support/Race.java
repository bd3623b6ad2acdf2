package com.couponrush.support;

import com.couponrush.web.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Many attempts from a fixed number of threads that all start at the same instant (a start latch), so
 * they contend from the first attempt, like the seed's ExecutorService test. Each attempt either returns
 * (a success) or throws; refusals are counted by {@link com.couponrush.web.ErrorCode}, anything else by
 * exception class, so a deadlock or a lock timeout cannot hide among refusals.
 */
public final class Race {

    public static final String SUCCESS = "SUCCESS";

    private Race() {
    }

    public record Result(int attempts, Map<String, Integer> outcomes, Duration took, Throwable firstFailure) {

        public int successes() {
            return count(SUCCESS);
        }

        /** The seed's 예외 카운트: every attempt that did not issue. */
        public int exceptions() {
            return attempts - successes();
        }

        public int count(String outcome) {
            return outcomes.getOrDefault(outcome, 0);
        }

        @Override
        public String toString() {
            return outcomes + " in " + took.toMillis() + " ms";
        }
    }

    public static Result run(int threads, int attempts, IntConsumer attempt) {
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        Throwable[] firstFailure = new Throwable[1];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long began;
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    ready.countDown();
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = next.getAndIncrement(); i < attempts; i = next.getAndIncrement()) {
                        String outcome;
                        try {
                            attempt.accept(i);
                            outcome = SUCCESS;
                        } catch (ApiException refusal) {
                            outcome = refusal.errorCode().name();
                        } catch (RuntimeException | AssertionError failure) {
                            outcome = failure.getClass().getSimpleName();
                            synchronized (firstFailure) {
                                if (firstFailure[0] == null) {
                                    firstFailure[0] = failure;
                                }
                            }
                        }
                        outcomes.computeIfAbsent(outcome, key -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
            await(ready);
            began = System.nanoTime();
            start.countDown();
            pool.shutdown();
            if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new AssertionError("race of " + attempts + " attempts did not finish in 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        Map<String, Integer> counted = new TreeMap<>();
        outcomes.forEach((outcome, count) -> counted.put(outcome, count.get()));
        return new Result(attempts, counted, took, firstFailure[0]);
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("race threads did not start");
        }
    }
}
