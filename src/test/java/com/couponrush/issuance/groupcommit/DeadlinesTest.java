package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    @Test
    void aDutyThatThrowsEvenAnErrorDoesNotStopTheTimer() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch keptGoing = new CountDownLatch(3);
        CountDownLatch otherDutyKeptGoing = new CountDownLatch(3);
        try (Deadlines deadlines = new Deadlines(Duration.ofMillis(10), List.of(
                now -> {
                    if (runs.incrementAndGet() % 2 == 1) {
                        throw new StackOverflowError("a bug in a duty");
                    }
                    keptGoing.countDown();
                },
                now -> otherDutyKeptGoing.countDown()))) {
            assertThat(keptGoing.await(10, TimeUnit.SECONDS)).as("the failing duty runs again").isTrue();
            assertThat(otherDutyKeptGoing.await(10, TimeUnit.SECONDS)).as("and so do the others").isTrue();
        }
    }
}
