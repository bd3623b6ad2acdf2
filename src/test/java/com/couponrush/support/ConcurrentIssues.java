package com.couponrush.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One issuance request per user, all in flight at once, each from a client thread of its own. */
public final class ConcurrentIssues implements AutoCloseable {

    private final ExecutorService clients;
    private final List<Future<ApiClient.Response>> answers;

    private ConcurrentIssues(ExecutorService clients, List<Future<ApiClient.Response>> answers) {
        this.clients = clients;
        this.answers = answers;
    }

    public static ConcurrentIssues send(ApiClient api, List<ApiClient.TestUser> users, long couponId) {
        ExecutorService clients = Executors.newFixedThreadPool(users.size());
        List<Future<ApiClient.Response>> answers = new ArrayList<>(users.size());
        for (ApiClient.TestUser user : users) {
            answers.add(clients.submit(() -> api.issue(user, couponId)));
        }
        return new ConcurrentIssues(clients, answers);
    }

    public void awaitAnswered(long atLeast, Duration atMost) {
        await().atMost(atMost).until(() -> answers.stream().filter(Future::isDone).count() >= atLeast);
    }

    /** The answers already in, in the order the users were given. */
    public List<ApiClient.Response> answeredSoFar() throws InterruptedException, ExecutionException {
        List<ApiClient.Response> answered = new ArrayList<>();
        for (Future<ApiClient.Response> answer : answers) {
            if (answer.isDone()) {
                answered.add(answer.get());
            }
        }
        return answered;
    }

    /** Every answer, in the order the users were given, waiting for those still out. */
    public List<ApiClient.Response> all() throws InterruptedException, ExecutionException {
        List<ApiClient.Response> all = new ArrayList<>(answers.size());
        for (Future<ApiClient.Response> answer : answers) {
            all.add(answer.get());
        }
        return all;
    }

    /** Requests still out are answered all the same; the client threads end with them. */
    @Override
    public void close() {
        clients.shutdown();
    }

    /**
     * The answer of a request handed to the coupon's waiting line: 202 with a committed place (the body of
     * {@code POST /api/v1/coupons/{id}/line}), where to follow it, and when to ask again.
     */
    public static void assertGivenAPlace(ApiClient.Response answer, long couponId) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        assertThat(answer.data().path("status").asString()).isEqualTo("WAITING");
        assertThat(answer.data().path("place").asLong()).isPositive();
        assertThat(answer.data().path("position").asLong()).isPositive();
        assertThat(answer.raw().headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/api/v1/coupons/" + couponId + "/line/me"));
        assertThat(answer.raw().headers().firstValue("Retry-After")).hasValue("1");
    }
}
