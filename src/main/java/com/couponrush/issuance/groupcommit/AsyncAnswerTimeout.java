package com.couponrush.issuance.groupcommit;

import java.time.Duration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Issuance requests are answered asynchronously; the servlet container's own async timeout (Tomcat: 30 s, or
 * {@code spring.mvc.async.request-timeout}) must never cut in before the engine's answer, which could then be a
 * commit the caller was told had failed. A configured timeout that could cut in is refused at start-up.
 */
@Configuration(proxyBeanMethods = false)
class AsyncAnswerTimeout implements WebMvcConfigurer {

    private final Duration requestTimeout;

    AsyncAnswerTimeout(GroupCommitProperties engine, WebMvcProperties mvc) {
        this.requestTimeout = asyncRequestTimeout(engine.answerBound(), mvc.getAsync().getRequestTimeout());
    }

    /**
     * Twice the engine's answer bound unless configured; a configured timeout of zero or less (none) is kept.
     *
     * @throws IllegalStateException if the configured timeout is not longer than the engine's answer bound
     */
    static Duration asyncRequestTimeout(Duration answerBound, Duration configured) {
        if (configured == null) {
            return answerBound.multipliedBy(2);
        }
        if (configured.isNegative() || configured.isZero()) {
            return configured;
        }
        if (configured.compareTo(answerBound) <= 0) {
            throw new IllegalStateException("spring.mvc.async.request-timeout (" + configured + ") must be longer"
                    + " than the issuance engine's answer bound (" + answerBound + ": coupon.issuance.group-commit"
                    + ".wait-timeout + batch-timeout + 1s), or the container could answer a request that commits");
        }
        return configured;
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.setDefaultTimeout(requestTimeout.toMillis());
    }
}
