package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.IntegrationTest;
import com.couponrush.web.ApiResponse;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.RetryableApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * On platform threads a future still pending when its handler returns is answered in servlet async's dispatch
 * by {@link AsyncAnswerFilter}, which does not send that dispatch through the filters and the
 * {@code DispatcherServlet} again. The answers are still those the second pass wrote: a value in the JSON
 * envelope, a failure through the exception handlers (status, Retry-After, the message in the client's language),
 * Spring Security's headers, and the request's {@code http.server.requests} observation closed with its status.
 */
@IntegrationTest
@TestPropertySource(properties = "spring.threads.virtual.enabled=false")
@Import(AsyncAnswersIT.PendingAnswers.class)
class AsyncAnswersIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    PendingAnswers pending;
    @Autowired
    MeterRegistry meters;
    @Autowired
    MessageSource messages;
    @Autowired
    ObjectMapper json;
    @LocalServerPort
    int port;

    @Test
    void aValueIsWrittenInTheEnvelopeWithoutASecondPassAndItsRequestIsMeasured() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = get("value", "ko");

        pending.whenWaiting("value").complete(ApiResponse.ok("issued"));
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json.readTree(response.body()).path("data").asString()).isEqualTo("issued");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(pending.secondPasses.get()).as("async dispatches that reached the filter chain").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsMeasured("200") == 1);
    }

    @Test
    void aFailureIsWrittenByTheExceptionHandlersInTheClientsLanguage() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = get("failure", "en");

        pending.whenWaiting("failure").completeExceptionally(
                new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, 7));
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("reason").asString()).isEqualTo("SERVICE_OVERLOADED");
        assertThat(body.path("message").asString()).isEqualTo(
                messages.getMessage(ErrorCode.SERVICE_OVERLOADED.messageKey(), null, Locale.ENGLISH));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(pending.secondPasses.get()).as("async dispatches that reached the filter chain").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsMeasured("503") == 1);
    }

    @Test
    void anEntityIsSentWithItsLengthInOneResponseNotChunked() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/test/pending-entity/accepted")).build(),
                HttpResponse.BodyHandlers.ofString());

        pending.entityWhenWaiting("accepted").complete(ResponseEntity.status(HttpStatus.ACCEPTED)
                .header("Retry-After", "2").body(ApiResponse.ok("in line")));
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(json.readTree(response.body()).path("data").asString()).isEqualTo("in line");
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length());
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    private CompletableFuture<HttpResponse<String>> get(String id, String language) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/pending/" + id))
                .header("Accept-Language", language).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long requestsMeasured(String status) {
        Timer timer = meters.find("http.server.requests").tag("uri", "/test/pending/{id}").tag("status", status)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    /** An endpoint whose futures the test completes once servlet async has started for their request. */
    @TestConfiguration(proxyBeanMethods = false)
    @RestController
    static class PendingAnswers {

        private final Map<String, CompletableFuture<ApiResponse<String>>> futures = new ConcurrentHashMap<>();
        private final Map<String, HttpServletRequest> requests = new ConcurrentHashMap<>();
        final AtomicInteger secondPasses = new AtomicInteger();

        @GetMapping("/test/pending/{id}")
        CompletableFuture<ApiResponse<String>> answerLater(@PathVariable String id, HttpServletRequest request) {
            CompletableFuture<ApiResponse<String>> future = new CompletableFuture<>();
            futures.put(id, future);
            requests.put(id, request);
            return future;
        }

        private final Map<String, CompletableFuture<ResponseEntity<?>>> entities = new ConcurrentHashMap<>();

        @GetMapping("/test/pending-entity/{id}")
        CompletableFuture<ResponseEntity<?>> entityLater(@PathVariable String id, HttpServletRequest request) {
            CompletableFuture<ResponseEntity<?>> future = new CompletableFuture<>();
            entities.put(id, future);
            requests.put(id, request);
            return future;
        }

        CompletableFuture<ResponseEntity<?>> entityWhenWaiting(String id) {
            whenWaiting(id);
            return entities.get(id);
        }

        /** The future of request {@code id}, once the request waits for it in servlet async. */
        CompletableFuture<ApiResponse<String>> whenWaiting(String id) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> requests.containsKey(id) && requests.get(id).isAsyncStarted());
            return futures.get(id);
        }

        /** Last in the chain, for async dispatches only: counts those that went past {@link AsyncAnswerFilter}. */
        @Bean
        FilterRegistrationBean<Filter> secondPassCounter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                secondPasses.incrementAndGet();
                chain.doFilter(request, response);
            });
            registration.setDispatcherTypes(DispatcherType.ASYNC);
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            return registration;
        }
    }
}
