package com.couponrush.requestpath;

import com.couponrush.requestpath.FuturesAnsweredInPlace.PendingAnswer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Writes the answer of a handler's future in servlet async's dispatch itself, instead of sending that dispatch
 * through the filter chain and the {@code DispatcherServlet} a second time. Registered for {@code ASYNC}
 * dispatches only, first in the chain.
 *
 * <p>Why: the dispatch exists only to write an answer whose request the first pass already routed, authorised
 * and validated; passing the filters and finding the handler and its interceptors again adds nothing to it
 * (docs/request-path.md). Everything the second pass did to the answer is still done: the same return value
 * handlers and message converters write a value, the same exception resolvers (the JSON envelope, Retry-After) a
 * failure, in the client's locale. The container runs the dispatch only after the first pass has ended, so
 * nothing of that pass touches the response any more; the request's observation ({@code http.server.requests})
 * is closed by the listener its filter registered in the first pass, when the container completes the request.
 */
final class AsyncAnswerFilter implements Filter {

    private final Supplier<List<HandlerExceptionResolver>> exceptionResolvers;
    private final LocaleResolver localeResolver;

    /**
     * @param exceptionResolvers the application's exception resolvers in the {@code DispatcherServlet}'s order,
     *                           looked up on first use
     */
    AsyncAnswerFilter(Supplier<List<HandlerExceptionResolver>> exceptionResolvers, LocaleResolver localeResolver) {
        this.exceptionResolvers = exceptionResolvers;
        this.localeResolver = localeResolver;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)
                || !(request.getAttribute(PendingAnswer.ATTRIBUTE) instanceof PendingAnswer pending)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        WebAsyncManager asyncManager = WebAsyncUtils.getAsyncManager(request);
        if (!asyncManager.hasConcurrentResult()) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        ServletRequestAttributes attributes = new ServletRequestAttributes(request, response);
        RequestContextHolder.setRequestAttributes(attributes);
        LocaleContextHolder.setLocale(localeResolver.resolveLocale(request));
        try {
            write(asyncManager.getConcurrentResult(), pending, request, response);
        } finally {
            LocaleContextHolder.resetLocaleContext();
            RequestContextHolder.resetRequestAttributes();
            attributes.requestCompleted();
        }
    }

    private void write(@Nullable Object result, PendingAnswer pending, HttpServletRequest request,
                       HttpServletResponse response) throws IOException, ServletException {
        Exception failure;
        if (result instanceof Exception exception) {
            failure = exception;
        } else if (result instanceof Throwable error) {
            failure = new ServletException("Handler dispatch failed: " + error, error);
        } else {
            try {
                pending.write(result, new ServletWebRequest(request, response));
                return;
            } catch (Exception writeFailure) {
                failure = writeFailure;
            }
        }
        resolve(failure, pending.handler(), request, response);
    }

    /** As the {@code DispatcherServlet} does: the first resolver that handles the failure writes it. */
    private void resolve(Exception failure, @Nullable Object handler, HttpServletRequest request,
                         HttpServletResponse response) throws IOException, ServletException {
        for (HandlerExceptionResolver resolver : exceptionResolvers.get()) {
            ModelAndView handled = resolver.resolveException(request, response, handler, failure);
            if (handled == null) {
                continue;
            }
            if (!handled.isEmpty()) {
                throw new ServletException("this API renders no views; the answer to " + failure
                        + " was a view", failure);
            }
            request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, failure);
            return;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof ServletException servlet) {
            throw servlet;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new ServletException(failure);
    }
}
