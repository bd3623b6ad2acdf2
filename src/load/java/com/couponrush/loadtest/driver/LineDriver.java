package com.couponrush.loadtest.driver;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.LoadRun;
import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.fixture.LoadFixture;
import com.couponrush.loadtest.integrity.LineIntegrityCheck;
import com.couponrush.loadtest.tally.Outcome;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tools.jackson.databind.JsonNode;

/**
 * The waiting line's scenario on plain threads: every account is one person who takes a place in the coupon's
 * line once ({@code POST …/line}, all at once over {@code vus} connections), then, while the answer says WAITING,
 * asks for the place again ({@code GET …/line/me}) after the wait it was shown, as the event page does, until it
 * hears the outcome or the hold runs out. The joins go into the run's tally (their latency is the summary's); each
 * person's last answer is what {@link LineIntegrityCheck} compares with the database.
 */
public final class LineDriver {

    /** Bounds on a person's wait before asking again, around the estimate the line answered. */
    private static final long SHORTEST_WAIT_MILLIS = 250;
    private static final long LONGEST_WAIT_MILLIS = 2000;
    private static final int READERS = 4;

    private final LoadRun run;
    private final long couponId;
    private final AtomicReferenceArray<LineIntegrityCheck.Answer> answers;
    private final CountDownLatch decided;
    private final ScheduledExecutorService readers = Executors.newScheduledThreadPool(READERS);
    private final AtomicInteger reads = new AtomicInteger();

    private LineDriver(LoadRun run) {
        this.run = run;
        this.couponId = run.couponId();
        this.answers = new AtomicReferenceArray<>(run.accounts().size());
        this.decided = new CountDownLatch(run.accounts().size());
    }

    public static LoadRun.Report run(LoadRun run) throws InterruptedException {
        return new LineDriver(run).crowd();
    }

    private LoadRun.Report crowd() throws InterruptedException {
        LoadOptions options = run.options();
        List<LoadFixture.Account> people = run.accounts();
        ExecutorService joiners = Executors.newFixedThreadPool(Math.max(1, options.virtualUsers()));
        run.start();
        try {
            for (int i = 0; i < people.size(); i++) {
                int person = i;
                joiners.execute(() -> join(person, people.get(person)));
            }
            if (!decided.await(options.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.printf("[line] %d people heard no outcome within %d s%n", decided.getCount(),
                        options.duration().toSeconds());
            }
        } finally {
            joiners.shutdownNow();
            readers.shutdownNow();
            joiners.awaitTermination(10, TimeUnit.SECONDS);
            readers.awaitTermination(10, TimeUnit.SECONDS);
        }
        System.out.printf("[line] %d people joined; %d reads of a place while waiting%n", people.size(), reads.get());
        List<LineIntegrityCheck.Answer> last = new ArrayList<>(people.size());
        for (int i = 0; i < people.size(); i++) {
            last.add(answers.get(i));
        }
        return run.finishLine(last);
    }

    private void join(int person, LoadFixture.Account account) {
        long startedAt = System.currentTimeMillis();
        long started = System.nanoTime();
        CouponRushApi.Reply reply;
        try {
            reply = run.api().join(account.token(), couponId);
        } catch (UncheckedIOException noAnswer) {
            run.record(Outcome.NO_RESPONSE, startedAt, -1, noAnswer.getCause().getClass().getSimpleName());
            heard(person, account, new LineIntegrityCheck.Answer(account.email(), 0, null, null, null, null), null);
            return;
        }
        run.record(Outcome.of(reply.status(), reply.reason()), startedAt, (System.nanoTime() - started) / 1000,
                reply.status() + (reply.reason().isEmpty() ? "" : " " + reply.reason()));
        heard(person, account, answer(account.email(), reply.status(), reply), reply);
    }

    private void follow(int person, LoadFixture.Account account) {
        LineIntegrityCheck.Answer joined = answers.get(person);
        CouponRushApi.Reply reply;
        try {
            reply = run.api().place(account.token(), couponId);
            reads.incrementAndGet();
        } catch (UncheckedIOException noAnswer) {
            readers.schedule(() -> follow(person, account), LONGEST_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        heard(person, account, reply.status() == 200 ? answer(account.email(), joined.joinStatus(), reply)
                : new LineIntegrityCheck.Answer(account.email(), joined.joinStatus(), joined.place(),
                        "read " + reply.status(), reply.reason(), null), reply);
    }

    /** Keeps the person's last answer; a waiting one asks again after the wait it was shown. */
    private void heard(int person, LoadFixture.Account account, LineIntegrityCheck.Answer answer,
                       CouponRushApi.Reply reply) {
        answers.set(person, answer);
        if ("WAITING".equals(answer.status())) {
            readers.schedule(() -> follow(person, account), wait(reply.data()), TimeUnit.MILLISECONDS);
        } else {
            decided.countDown();
        }
    }

    /** A place's body ({@code data.place}, {@code status}, …) or a refusal without a place ({@code reason}). */
    private static LineIntegrityCheck.Answer answer(String email, int joinStatus, CouponRushApi.Reply reply) {
        JsonNode data = reply.data();
        if (reply.status() != 200 && reply.status() != 202) {
            return new LineIntegrityCheck.Answer(email, joinStatus, null, "REFUSED", reply.reason(), null);
        }
        return new LineIntegrityCheck.Answer(email, joinStatus, data.path("place").asLong(),
                data.path("status").asString(), data.path("reason").isNull() || data.path("reason").isMissingNode()
                        ? null : data.path("reason").asString(),
                data.path("userCouponId").isNumber() ? data.path("userCouponId").asLong() : null);
    }

    /** The wait the place was shown (null while the line's rate is unknown), within the bounds. */
    private static long wait(JsonNode place) {
        JsonNode estimate = place.path("estimatedWaitSeconds");
        long millis = estimate.isNumber() ? estimate.asLong() * 1000 : SHORTEST_WAIT_MILLIS;
        return Math.max(SHORTEST_WAIT_MILLIS, Math.min(LONGEST_WAIT_MILLIS, millis));
    }
}
