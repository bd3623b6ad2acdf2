package com.couponrush.loadtest.driver;

import com.couponrush.loadtest.LoadOptions;
import com.couponrush.loadtest.LoadRun;
import com.couponrush.loadtest.fixture.CouponRushApi;
import com.couponrush.loadtest.fixture.LoadFixture;
import com.couponrush.loadtest.tally.Outcome;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load scenario without Gatling, on plain threads: each virtual user takes one account and repeats the
 * scenario's request until the deadline or a shared request budget runs out. Same request, same outcome
 * classification and same tally as the Gatling simulation, so the integration test exercises the whole
 * pipeline of a real load run at a small scale.
 */
public final class PlainJavaDriver {

    private PlainJavaDriver() {
    }

    public static LoadRun.Report run(LoadRun run, int requestBudget) throws InterruptedException {
        LoadOptions options = run.options();
        AtomicInteger budget = new AtomicInteger(requestBudget);
        CountDownLatch ready = new CountDownLatch(options.virtualUsers());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> users = new ArrayList<>();
        for (int i = 0; i < options.virtualUsers(); i++) {
            LoadFixture.Account account = run.accounts().get(i % run.accounts().size());
            Thread user = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    while (run.beforeDeadline() && budget.getAndDecrement() > 0) {
                        once(run, account.token());
                        if (!options.pause().isZero()) {
                            Thread.sleep(options.pause().toMillis());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "virtual-user-" + i);
            users.add(user);
            user.start();
        }
        ready.await();
        run.start();
        go.countDown();
        for (Thread user : users) {
            user.join();
        }
        return run.finish();
    }

    private static void once(LoadRun run, String token) {
        long startedAt = System.currentTimeMillis();
        long started = System.nanoTime();
        try {
            CouponRushApi.Reply reply = run.options().issuing()
                    ? run.api().issue(token, run.couponId())
                    : run.api().ping(token);
            Outcome outcome = Outcome.of(reply.status(), reply.reason());
            run.record(outcome, startedAt, (System.nanoTime() - started) / 1000,
                    reply.status() + (reply.reason().isEmpty() ? "" : " " + reply.reason()));
        } catch (UncheckedIOException noAnswer) {
            run.record(Outcome.NO_RESPONSE, startedAt, -1, noAnswer.getCause().getClass().getSimpleName());
        }
    }
}
