package com.couponrush.requestpath;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Answers a handler's {@link CompletableFuture} in the request's own pass through the servlet when waiting for it
 * costs nothing: when it is already complete (a refusal known without the database, a synchronous strategy), or
 * when requests run on virtual threads, which wait without holding a carrier thread. Otherwise it hands the future
 * to Spring's servlet-async handling, which frees a platform thread while the answer is pending.
 *
 * <p>Why: servlet async writes the answer in a second dispatch, a second trip through the container for an
 * answer the first pass could have written, and it buys something only where a platform thread would otherwise
 * be held. Where it is still used, {@link AsyncAnswerFilter} writes the answer at the start of that dispatch
 * (docs/request-path.md).
 */
final class FuturesAnsweredInPlace implements HandlerMethodReturnValueHandler {

    private final boolean waitingIsFree;
    private final HandlerMethodReturnValueHandler servletAsync;
    private final List<HandlerMethodReturnValueHandler> answerHandlers;

    /**
     * @param waitingIsFree  requests run on virtual threads
     * @param servletAsync   Spring's handler of futures (servlet async)
     * @param answerHandlers the handlers that write a completed answer, in Spring's order
     */
    FuturesAnsweredInPlace(boolean waitingIsFree, HandlerMethodReturnValueHandler servletAsync,
                           List<HandlerMethodReturnValueHandler> answerHandlers) {
        this.waitingIsFree = waitingIsFree;
        this.servletAsync = servletAsync;
        this.answerHandlers = List.copyOf(answerHandlers);
    }

    /** Spring's handlers with this one first, so that it sees every {@link CompletableFuture} before servlet async. */
    static List<HandlerMethodReturnValueHandler> inFront(boolean waitingIsFree,
                                                         List<HandlerMethodReturnValueHandler> springHandlers) {
        HandlerMethodReturnValueHandler servletAsync = springHandlers.stream()
                .filter(handler -> handler.supportsReturnType(FUTURE_RETURN))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no handler of CompletableFuture return values"));
        List<HandlerMethodReturnValueHandler> answerHandlers = springHandlers.stream()
                .filter(handler -> handler != servletAsync)
                .toList();
        List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(springHandlers.size() + 1);
        handlers.add(new FuturesAnsweredInPlace(waitingIsFree, servletAsync, answerHandlers));
        handlers.addAll(springHandlers);
        return handlers;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
                                  ModelAndViewContainer mavContainer, NativeWebRequest webRequest) throws Exception {
        if (!(returnValue instanceof CompletableFuture<?> future) || !(future.isDone() || waitingIsFree)) {
            webRequest.setAttribute(PendingAnswer.ATTRIBUTE, new PendingAnswer(this, returnType,
                    withItsController(webRequest.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
                            RequestAttributes.SCOPE_REQUEST))), RequestAttributes.SCOPE_REQUEST);
            servletAsync.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
            return;
        }
        writeAnswer(awaitAnswer(future), returnType, mavContainer, webRequest);
    }

    /**
     * The mapping keeps the handler method with its controller's bean name; a controller's own
     * {@code @ExceptionHandler} methods are invoked on the controller itself, so the resolvers need it resolved.
     */
    private static @Nullable Object withItsController(@Nullable Object handler) {
        return handler instanceof HandlerMethod method ? method.createWithResolvedBean() : handler;
    }

    /** Writes a future's value as the handler method's own return value would have been written. */
    void writeAnswer(@Nullable Object answer, MethodParameter returnType, ModelAndViewContainer mavContainer,
                     NativeWebRequest webRequest) throws Exception {
        MethodParameter answerType = new AnswerParameter(returnType, answer);
        NativeWebRequest writingTo = isWholeEntity(answer) ? completedByTheContainer(webRequest) : webRequest;
        for (HandlerMethodReturnValueHandler handler : answerHandlers) {
            if (handler.supportsReturnType(answerType)) {
                handler.handleReturnValue(answer, answerType, mavContainer, writingTo);
                return;
            }
        }
        throw new IllegalStateException("no handler for the answer of " + returnType.getMethod());
    }

    /** An entity written at once, not a stream that is sent piece by piece as it is produced. */
    private static boolean isWholeEntity(@Nullable Object answer) {
        return answer instanceof HttpEntity<?> entity && !(entity.getBody() instanceof ResponseBodyEmitter)
                && !(entity.getBody() instanceof StreamingResponseBody);
    }

    /**
     * Spring's writer of a {@code ResponseEntity} flushes the response once the body is written, so that headers
     * go out even without a body. That commits the response before its length is known: Tomcat then sends it
     * chunked, the headers and body in one write and the closing chunk in another. The container completes the
     * response right after the answer is written anyway, and then knows its length and sends it in one write; so
     * the entity's writer gets a response whose flush leaves that to the container.
     */
    private static NativeWebRequest completedByTheContainer(NativeWebRequest webRequest) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
        if (request == null || response == null) {
            return webRequest;
        }
        return new ServletWebRequest(request, new HttpServletResponseWrapper(response) {
            @Override
            public void flushBuffer() {
                // the container's completion of the response sends it
            }
        });
    }

    /**
     * A future handed to servlet async, as {@link AsyncAnswerFilter} needs it to write the answer in the async
     * dispatch without going through the filter chain and the {@code DispatcherServlet} again.
     *
     * @param handler the handler method, for the exception resolvers (its controller's advice)
     */
    record PendingAnswer(FuturesAnsweredInPlace writer, MethodParameter returnType, @Nullable Object handler) {

        static final String ATTRIBUTE = PendingAnswer.class.getName();

        void write(@Nullable Object answer, NativeWebRequest webRequest) throws Exception {
            writer.writeAnswer(answer, returnType, new ModelAndViewContainer(), webRequest);
        }
    }

    /** The future's value, or its failure as thrown by the handler itself, for the exception handlers to render. */
    private static @Nullable Object awaitAnswer(CompletableFuture<?> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException failed) {
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }

    /** The handler method's return type seen through the future: what servlet async's second pass would see. */
    private static final class AnswerParameter extends MethodParameter {

        private final Class<?> answerClass;
        private final Type answerType;

        AnswerParameter(MethodParameter futureType, @Nullable Object answer) {
            super(futureType);
            // read from the method's own generic return type (which the JDK keeps) rather than through
            // ResolvableType.forMethodParameter, which builds serializable type proxies for every answer
            this.answerType = futureType.getGenericParameterType() instanceof ParameterizedType future
                    ? future.getActualTypeArguments()[0] : Object.class;
            this.answerClass = answer != null ? answer.getClass() : ResolvableType.forType(answerType).toClass();
        }

        private AnswerParameter(AnswerParameter original) {
            super(original);
            this.answerClass = original.answerClass;
            this.answerType = original.answerType;
        }

        @Override
        public Class<?> getParameterType() {
            return answerClass;
        }

        @Override
        public Type getGenericParameterType() {
            return answerType;
        }

        @Override
        public AnswerParameter clone() {
            return new AnswerParameter(this);
        }
    }

    private static final MethodParameter FUTURE_RETURN;

    static {
        try {
            FUTURE_RETURN = new MethodParameter(FuturesAnsweredInPlace.class.getDeclaredMethod("aFuture"), -1);
        } catch (NoSuchMethodException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    @SuppressWarnings("unused") // read reflectively above: the return type servlet async's handler is asked about
    private static CompletableFuture<Object> aFuture() {
        return CompletableFuture.completedFuture(null);
    }
}
