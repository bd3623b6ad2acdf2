package com.couponrush.issuance.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlaceStreamsTest {

    private static final LineProperties PROPERTIES = new LineProperties(Duration.ofMillis(50), 500, 500, 20000, 2,
            Duration.ofSeconds(2), Duration.ofSeconds(5), 200000, Duration.ofSeconds(1), 3, 10000);

    @Test
    void anUpdateFailingWithAnErrorEndsOnlyItsOwnStreamAndTheOthersKeepGettingTheirs() {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        KnownPlaces known = new KnownPlaces(10);
        KnownPlaces.Known healthy = known.remember(Place.waiting(1, 1, 10));
        KnownPlaces.Known broken = known.remember(Place.waiting(1, 2, 11));
        AtomicInteger healthyUpdates = new AtomicInteger();
        AtomicInteger brokenUpdates = new AtomicInteger();
        PlaceStreams streams = new PlaceStreams(place -> {
            if (place == broken && brokenUpdates.incrementAndGet() > 1) {
                throw new AssertionError("a bug that is not an exception");
            }
            if (place == healthy) {
                healthyUpdates.incrementAndGet();
            }
            return new PlaceView(place.place().number(), place.place().number(), null, Place.Status.WAITING, null,
                    null);
        }, thread, PROPERTIES);
        try {
            streams.start();
            streams.open(10, healthy);
            streams.open(11, broken);

            // the first update is sent when a stream opens, the next ones every second
            await().atMost(Duration.ofSeconds(10)).until(() -> healthyUpdates.get() >= 4);
            assertThat(brokenUpdates).as("the broken stream is not updated again").hasValue(2);
            assertThat(streams.open()).as("the broken stream was let go").isEqualTo(1);
        } finally {
            streams.stop();
            thread.shutdownNow();
        }
    }
}
