package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.couponrush.issuance.InLine;
import com.couponrush.issuance.IssueCommand;
import com.couponrush.issuance.IssuedCoupon;
import com.couponrush.issuance.ledger.CouponSnapshot;
import com.couponrush.issuance.line.LineDtos;
import com.couponrush.issuance.line.PlaceTaker;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admission without a database: the drainers hand each batch to the test, which answers it as a batch would, in
 * the order the test chooses.
 */
class AdmissionTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 6, 12, 0);
    private static final Clock CLOCK = Clock.fixed(NOW.toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    private record Batch(CouponLane lane, List<Waiter> waiters) {
    }

    private final BlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
    private final GroupCommitProperties settings = EngineSettings.with(Map.of("max-queue", "200"));
    private final DatabaseWatch database = new DatabaseWatch(settings, Runnable::run);
    private final UnknownCoupons unknownCoupons = new UnknownCoupons(Duration.ofMinutes(1), 100);
    private final Drainers drainers = new Drainers(settings, (lane, waiters) -> {
        batches.add(new Batch(lane, waiters));
        // a batch ends when the test has answered it: one batch of a coupon at a time, as in the engine
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.stream().allMatch(Waiter::answered));
        return new Answers();
    });
    // the line gives each caller the place after the last one given, once (its own tests check the numbering)
    private final Map<Long, Long> placesGiven = new java.util.concurrent.ConcurrentHashMap<>();
    private final PlaceTaker line = (couponId, userId) -> CompletableFuture.completedFuture(new LineDtos.PlaceResponse(
            placesGiven.computeIfAbsent(userId, user -> placesGiven.size() + 1L), 1L, null, "WAITING", null, null));
    private final Admission admission = new Admission(settings, database, unknownCoupons, drainers, line, CLOCK);

    @AfterEach
    void stop() {
        drainers.shutdown(1_000);
    }

    private Batch nextBatch() throws InterruptedException {
        Batch batch = batches.poll(10, TimeUnit.SECONDS);
        assertThat(batch).as("a batch was scheduled").isNotNull();
        return batch;
    }

    private static CouponSnapshot openCoupon(int perUserLimit) {
        return new CouponSnapshot(1, 1_000, 0, perUserLimit, NOW.minusHours(1), NOW.plusHours(1), false);
    }

    private static ErrorCode reasonOf(Waiter waiter) throws TimeoutException {
        try {
            waiter.await(TimeUnit.SECONDS.toNanos(10));
            return null;
        } catch (ApiException refusal) {
            return refusal.errorCode();
        }
    }

    @Test
    void nothingIsBuiltForARequestRefusedDuringAnOutage() {
        database.unreachable();
        for (long couponId = 1; couponId <= 10_000; couponId++) {
            long id = couponId;
            assertThatThrownBy(() -> admission.admit(new IssueCommand(id, 1, "k" + id)))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        }
        assertThat(admission.retained()).isEqualTo(new GroupCommitIssuance.RetainedState(0, 0, 0));
    }

    @Test
    void aFullLaneHandsTheRestToTheLineAndEachGetsAPlace() throws Exception {
        List<Waiter> direct = new ArrayList<>();
        direct.add(admission.admit(new IssueCommand(1, 1, null)));
        Batch first = nextBatch();
        long user = 2;
        while (admission.queued() < 200) {
            direct.add(admission.admit(new IssueCommand(1, user++, null)));
        }
        List<Waiter> overflow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            overflow.add(admission.admit(new IssueCommand(1, user++, null)));
        }
        assertThat(admission.queued()).as("the lane is full").isEqualTo(200);
        for (int i = 0; i < overflow.size(); i++) {
            Waiter waiter = overflow.get(i);
            assertThat(waiter.answered()).isTrue();
            long place = i + 1;
            assertThatThrownBy(() -> waiter.await(TimeUnit.SECONDS.toNanos(1)))
                    .isInstanceOfSatisfying(InLine.class, inLine -> {
                        assertThat(inLine.couponId()).isEqualTo(1);
                        assertThat(inLine.place().place()).isEqualTo(place);
                        assertThat(inLine.place().waiting()).isTrue();
                    });
        }
        first.waiters().forEach(waiter -> waiter.succeed(new IssuedCoupon(waiter.command.userId())));
        while (!direct.stream().allMatch(Waiter::answered)) {
            nextBatch().waiters().forEach(waiter -> waiter.succeed(new IssuedCoupon(waiter.command.userId())));
        }
    }

    @Test
    void aCouponFoundMissingIsAnsweredWithoutALane() {
        unknownCoupons.remember(42);
        assertThatThrownBy(() -> admission.admit(new IssueCommand(42, 1, null)))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.COUPON_NOT_FOUND));
        assertThat(admission.retained().lanes()).isZero();
    }

    @Test
    void fromALanesFirstRequestAUserHoldsOnePlaceAndTheOthersLearnFromItsAnswer() throws Exception {
        List<Waiter> greedy = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            greedy.add(admission.admit(new IssueCommand(1, 1, null)));
        }
        Batch first = nextBatch();
        for (long user = 2; user <= 101; user++) {
            admission.admit(new IssueCommand(1, user, null));
        }
        assertThat(first.waiters()).hasSize(1);
        assertThat(admission.queued()).as("one place for the greedy user, one for each other user").isEqualTo(100);

        first.lane().learn(openCoupon(1), 1, NOW.plusSeconds(1), NOW.plusSeconds(1));
        first.waiters().get(0).succeed(new IssuedCoupon(1));

        assertThat(reasonOf(greedy.get(0))).isNull();
        for (Waiter further : greedy.subList(1, greedy.size())) {
            assertThat(reasonOf(further)).isEqualTo(ErrorCode.PER_USER_LIMIT_REACHED);
        }
        Batch others = nextBatch();
        assertThat(others.waiters()).hasSize(100);
        others.waiters().forEach(waiter -> waiter.succeed(new IssuedCoupon(waiter.command.userId())));
    }

    @Test
    void whenALanesFactsAreDueForRenewalOneRequestGoesToABatchAndTheOthersAreRefusedAtOnce() throws Exception {
        admission.admit(new IssueCommand(1, 1, null));
        Batch first = nextBatch();
        first.lane().learn(new CouponSnapshot(1, 10, 10, 0, NOW.minusHours(1), NOW.plusHours(1), false), 0,
                NOW.plusSeconds(1), NOW.plusSeconds(2));
        first.waiters().get(0).fail(new ApiException(ErrorCode.COUPON_SOLD_OUT));

        assertThat(reasonOf(admission.admit(new IssueCommand(1, 2, null)))).as("before renewal is due")
                .isEqualTo(ErrorCode.COUPON_SOLD_OUT);
        assertThat(admission.queued()).isZero();

        first.lane().learn(new CouponSnapshot(1, 10, 10, 0, NOW.minusHours(1), NOW.plusHours(1), false), 0,
                NOW, NOW.plusSeconds(1));
        Waiter renewing = admission.admit(new IssueCommand(1, 3, null));
        List<ErrorCode> others = new ArrayList<>();
        for (long user = 4; user < 104; user++) {
            others.add(reasonOf(admission.admit(new IssueCommand(1, user, null))));
        }
        assertThat(others).as("answered from the facts while one request renews them")
                .containsOnly(ErrorCode.COUPON_SOLD_OUT).hasSize(100);
        Batch renewal = nextBatch();
        assertThat(renewal.waiters()).containsExactly(renewing);
        renewal.waiters().get(0).fail(new ApiException(ErrorCode.COUPON_SOLD_OUT));
    }

    @Test
    void aFurtherRequestWhoseFirstWasRefusedForItsKeyIsDecidedOnItsOwn() throws Exception {
        Waiter keyed = admission.admit(new IssueCommand(1, 1, "used-for-another-coupon"));
        Waiter further = admission.admit(new IssueCommand(1, 1, null));
        Batch first = nextBatch();
        assertThat(first.waiters()).containsExactly(keyed);

        first.waiters().get(0).fail(new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED));
        assertThat(reasonOf(keyed)).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);

        Batch second = nextBatch();
        assertThat(second.waiters()).extracting(waiter -> waiter.command).containsExactly(further.command);
        second.waiters().get(0).succeed(new IssuedCoupon(5));
        assertThat(further.await(TimeUnit.SECONDS.toNanos(10)).userCouponId()).isEqualTo(5);
    }

    @Test
    void aStoppedAdmissionSaysSoAndBuildsNothing() {
        admission.close();
        assertThatThrownBy(() -> admission.admit(new IssueCommand(1, 1, null)))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SHUTTING_DOWN));
        assertThat(admission.retained().lanes()).isZero();
    }
}
