package com.couponrush.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.user.AuthUser;
import com.couponrush.user.Role;
import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.ErrorResponses;
import com.couponrush.web.RetryableApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Refusals are the endpoint's answers, written by the controller rather than thrown to the exception resolvers. */
class IssuanceControllerTest {

    private final JsonMapper json = new JsonMapper();
    private final PendingStrategy strategy = new PendingStrategy();
    private final IssuanceController controller = new IssuanceController(
            new IssuanceService(new IssuanceStrategies(List.of(strategy),
                    new IssuanceProperties(PendingStrategy.NAME, false, null)), null, new SimpleMeterRegistry()),
            new ErrorResponses(messages(), json, Clock.systemUTC(), new AcceptHeaderLocaleResolver()));

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void aRefusalDecidedOnAnotherThreadIsAnsweredInTheLocaleOfTheRequest() throws Exception {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        CompletableFuture<ResponseEntity<?>> answer = controller.issue(user(), new IssuanceDtos.IssueRequest(7L), null);
        LocaleContextHolder.setLocale(Locale.KOREAN);

        Thread batch = new Thread(() -> strategy.pending.completeExceptionally(
                new FailedAnswer(new ApiException(ErrorCode.COUPON_SOLD_OUT))));
        batch.start();
        batch.join();

        ResponseEntity<?> refusal = answer.get(5, TimeUnit.SECONDS);
        assertThat(refusal.getStatusCode().value()).isEqualTo(409);
        JsonNode body = json.readTree((byte[]) refusal.getBody());
        assertThat(body.path("reason").asString()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(body.path("message").asString()).isEqualTo("This coupon is sold out.");
    }

    @Test
    void aRefusalThatSaysWhenToComeBackCarriesRetryAfter() throws Exception {
        CompletableFuture<ResponseEntity<?>> answer = controller.issue(user(), new IssuanceDtos.IssueRequest(7L), null);
        strategy.pending.completeExceptionally(new RetryableApiException(ErrorCode.SERVICE_OVERLOADED, 3));

        ResponseEntity<?> refusal = answer.get(5, TimeUnit.SECONDS);
        assertThat(refusal.getStatusCode().value()).isEqualTo(503);
        assertThat(refusal.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
        assertThat(json.readTree((byte[]) refusal.getBody()).path("reason").asString())
                .isEqualTo("SERVICE_OVERLOADED");
    }

    @Test
    void aBugIsLeftToTheErrorHandlerAsItWasThrown() {
        IllegalStateException bug = new IllegalStateException("a bug");
        CompletableFuture<ResponseEntity<?>> answer = controller.issue(user(), new IssuanceDtos.IssueRequest(7L), null);
        strategy.pending.completeExceptionally(bug);

        assertThat(answer).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isSameAs(bug);
    }

    @Test
    void anInternalErrorRefusalIsLeftToTheErrorHandlerToo() {
        ApiException internal = new ApiException(ErrorCode.INTERNAL_ERROR);
        CompletableFuture<ResponseEntity<?>> answer = controller.issue(user(), new IssuanceDtos.IssueRequest(7L), null);
        strategy.pending.completeExceptionally(new FailedAnswer(internal));

        assertThat(answer).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isSameAs(internal);
    }

    private static AuthUser user() {
        return new AuthUser(1L, "someone@example.com", Role.USER);
    }

    private static ResourceBundleMessageSource messages() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }

    /** Answers through a future the test completes, as a batch does from its drainer. */
    private static final class PendingStrategy implements IssuanceStrategy {

        static final String NAME = "pending";
        final CompletableFuture<IssuedCoupon> pending = new CompletableFuture<>();

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public IssuedCoupon issue(IssueCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean answersAsynchronously() {
            return true;
        }

        @Override
        public CompletableFuture<IssuedCoupon> issueAsync(IssueCommand command) {
            return pending;
        }
    }
}
