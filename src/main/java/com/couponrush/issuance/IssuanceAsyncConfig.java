package com.couponrush.issuance;

import com.couponrush.issuance.groupcommit.GroupCommitProperties;
import java.time.Duration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Issuance requests are answered asynchronously; the servlet container's own async timeout (Tomcat: 30 s, or
 * {@code spring.mvc.async.request-timeout}) must never cut in before the engine's answer, which comes at the
 * latest at {@code wait-timeout} plus one watchdog period with its precise 503 and Retry-After.
 */
@Configuration(proxyBeanMethods = false)
class IssuanceAsyncConfig implements WebMvcConfigurer {

    private final Duration requestTimeout;

    IssuanceAsyncConfig(GroupCommitProperties engine, WebMvcProperties mvc) {
        this.requestTimeout = asyncRequestTimeout(engine.waitTimeout(), mvc.getAsync().getRequestTimeout());
    }

    /** Twice the engine's wait-timeout, unless the configured timeout is longer already or none (zero or less). */
    static Duration asyncRequestTimeout(Duration waitTimeout, Duration configured) {
        Duration engineAnswers = waitTimeout.multipliedBy(2);
        if (configured == null) {
            return engineAnswers;
        }
        return configured.isNegative() || configured.isZero() || configured.compareTo(engineAnswers) > 0
                ? configured : engineAnswers;
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.setDefaultTimeout(requestTimeout.toMillis());
    }
}
