package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.couponrush.requestpath.FuturesAnsweredInPlace.PendingAnswer;
import com.couponrush.web.ApiException;
import com.couponrush.web.ApiResponse;
import com.couponrush.web.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.HttpEntityMethodProcessor;

class FuturesAnsweredInPlaceTest {

    private final Recorder servletAsync = new Recorder(CompletableFuture.class);
    private final Recorder body = new Recorder(ApiResponse.class);

    @Test
    void aCompletedFutureIsWrittenInThisPassOnPlatformThreads() throws Exception {
        handler(false).handleReturnValue(CompletableFuture.completedFuture(ApiResponse.ok("done")), endpoint(),
                new ModelAndViewContainer(), null);

        assertThat(servletAsync.values).isEmpty();
        assertThat(body.values).containsExactly(ApiResponse.ok("done"));
        assertThat(ResolvableType.forMethodParameter(body.types.get(0)).getGeneric().resolve()).isEqualTo(String.class);
    }

    @Test
    void aPendingFutureGoesToServletAsyncOnPlatformThreadsWithWhatItsAnswerNeeds() throws Exception {
        CompletableFuture<ApiResponse<String>> pending = new CompletableFuture<>();
        MockHttpServletRequest request = new MockHttpServletRequest();
        Object handlerMethod = new Object();
        request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handlerMethod);
        ServletWebRequest webRequest = new ServletWebRequest(request, new MockHttpServletResponse());

        handler(false).handleReturnValue(pending, endpoint(), new ModelAndViewContainer(), webRequest);

        assertThat(servletAsync.values).containsExactly(pending);
        assertThat(body.values).isEmpty();
        PendingAnswer answer = (PendingAnswer) request.getAttribute(PendingAnswer.ATTRIBUTE);
        assertThat(answer.handler()).isSameAs(handlerMethod);
        answer.write(ApiResponse.ok("later"), webRequest);
        assertThat(body.values).containsExactly(ApiResponse.ok("later"));
        assertThat(ResolvableType.forMethodParameter(body.types.get(0)).getGeneric().resolve()).isEqualTo(String.class);
    }

    @Test
    void aPendingFutureIsAwaitedInPlaceWhereWaitingIsFree() throws Exception {
        CompletableFuture<ApiResponse<String>> pending = new CompletableFuture<>();
        var completer = Executors.newSingleThreadExecutor();
        try {
            // completes the future only once the handler's thread is parked on it
            completer.execute(() -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> pending.getNumberOfDependents() > 0);
                pending.complete(ApiResponse.ok("later"));
            });
            handler(true).handleReturnValue(pending, endpoint(), new ModelAndViewContainer(), null);
        } finally {
            completer.shutdownNow();
        }

        assertThat(servletAsync.values).isEmpty();
        assertThat(body.values).containsExactly(ApiResponse.ok("later"));
    }

    @Test
    void aFailedFutureThrowsItsCauseForTheExceptionHandlers() {
        ApiException refusal = new ApiException(ErrorCode.COUPON_SOLD_OUT);

        assertThatThrownBy(() -> handler(false).handleReturnValue(CompletableFuture.failedFuture(refusal), endpoint(),
                new ModelAndViewContainer(), null)).isSameAs(refusal);
        assertThat(servletAsync.values).isEmpty();
        assertThat(body.values).isEmpty();
    }

    @Test
    void anEntityIsWrittenButLeftUncommittedForTheContainerToCompleteWithItsLength() throws Exception {
        HttpEntityMethodProcessor entities = new HttpEntityMethodProcessor(
                List.of(new JacksonJsonHttpMessageConverter()));
        FuturesAnsweredInPlace handler = (FuturesAnsweredInPlace) FuturesAnsweredInPlace.inFront(false,
                List.of(servletAsync, entities)).get(0);
        MockHttpServletResponse response = new MockHttpServletResponse();
        ServletWebRequest webRequest = new ServletWebRequest(new MockHttpServletRequest(), response);

        handler.handleReturnValue(CompletableFuture.completedFuture(ResponseEntity.status(HttpStatus.ACCEPTED)
                        .header("Retry-After", "1").body(ApiResponse.ok("in line"))), entityEndpoint(),
                new ModelAndViewContainer(), webRequest);

        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString()).contains("\"data\":\"in line\"");
        assertThat(response.isCommitted()).as("committed (flushed) before the container completes it").isFalse();
    }

    @Test
    void sitsInFrontOfSpringsHandlers() {
        List<HandlerMethodReturnValueHandler> handlers = FuturesAnsweredInPlace.inFront(false, List.of(servletAsync, body));

        assertThat(handlers).hasSize(3).element(0).isInstanceOf(FuturesAnsweredInPlace.class);
        assertThat(handlers.subList(1, 3)).containsExactly(servletAsync, body);
    }

    private FuturesAnsweredInPlace handler(boolean waitingIsFree) {
        return (FuturesAnsweredInPlace) FuturesAnsweredInPlace.inFront(waitingIsFree, List.of(servletAsync, body)).get(0);
    }

    private static MethodParameter endpoint() throws NoSuchMethodException {
        return new MethodParameter(FuturesAnsweredInPlaceTest.class.getDeclaredMethod("issue"), -1);
    }

    @SuppressWarnings("unused") // the return type under test
    private static CompletableFuture<ApiResponse<String>> issue() {
        return new CompletableFuture<>();
    }

    private static MethodParameter entityEndpoint() throws NoSuchMethodException {
        return new MethodParameter(FuturesAnsweredInPlaceTest.class.getDeclaredMethod("issueEntity"), -1);
    }

    @SuppressWarnings("unused") // the return type under test: the issuance endpoint's
    private static CompletableFuture<ResponseEntity<?>> issueEntity() {
        return new CompletableFuture<>();
    }

    /** Handles return values of one type and remembers them. */
    private static final class Recorder implements HandlerMethodReturnValueHandler {

        private final Class<?> type;
        private final List<Object> values = new ArrayList<>();
        private final List<MethodParameter> types = new ArrayList<>();

        Recorder(Class<?> type) {
            this.type = type;
        }

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return type.isAssignableFrom(returnType.getParameterType());
        }

        @Override
        public void handleReturnValue(Object returnValue, MethodParameter returnType,
                                      ModelAndViewContainer mavContainer, NativeWebRequest webRequest) {
            values.add(returnValue);
            types.add(returnType);
        }
    }
}
