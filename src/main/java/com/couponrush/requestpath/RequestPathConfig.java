package com.couponrush.requestpath;

import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Each bean here takes the place of a piece of the framework's request path where the framework looks for it:
 * Spring Security finds its firewall, bearer-token resolver and observation settings by type, Spring MVC's
 * handler adapter is given its return value handlers, the container its filters, on virtual threads the connector
 * its executor.
 * Removing a bean brings the framework's own back. The application's own configuration (the security rules, the
 * JSON error answers, the locales) stays in its modules.
 */
@Configuration(proxyBeanMethods = false)
class RequestPathConfig {

    /** Spring Security's default firewall, its header checks done without regular expressions. */
    @Bean
    HttpFirewall httpFirewall() {
        return HeaderCharacters.firewall();
    }

    /** The resource server's bearer-token resolver, the common header read without a regular expression. */
    @Bean
    BearerTokenResolver bearerTokenResolver() {
        return new BearerHeaderTokens();
    }

    /**
     * No observations of Spring Security's filters, authentications and authorizations: they are spans for
     * tracing, which this service does not export. Switching them off with {@code management.observations.enable}
     * still wraps every filter of the chain in an observation decorator on every request; this settings bean
     * takes the decorators away too.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Futures are answered without servlet async's second dispatch where waiting costs no platform thread. */
    @Bean
    static BeanPostProcessor futuresAnsweredInPlace(Environment environment) {
        boolean virtualThreads = Threading.VIRTUAL.isActive(environment);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    adapter.setReturnValueHandlers(
                            FuturesAnsweredInPlace.inFront(virtualThreads, adapter.getReturnValueHandlers()));
                }
                return bean;
            }
        };
    }

    /** On virtual threads, the connector's threads start in turns, so that no woken request waits without bound. */
    @Bean
    @ConditionalOnThreading(Threading.VIRTUAL)
    RequestStartsInTurns requestStartsInTurns() {
        return new RequestStartsInTurns(new VirtualThreadTaskExecutor("tomcat-handler-"), RequestStartsInTurns.TURN);
    }

    /** Applied after Spring Boot's, which gives the connector a virtual thread per task without turns. */
    @Bean
    @ConditionalOnThreading(Threading.VIRTUAL)
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> connectorStartsRequestsInTurns(
            RequestStartsInTurns requestStartsInTurns) {
        return factory -> factory.addProtocolHandlerCustomizers(protocol -> protocol.setExecutor(requestStartsInTurns));
    }

    /** Servlet async's dispatch writes a future's answer without passing the filters and the DispatcherServlet. */
    @Bean
    FilterRegistrationBean<AsyncAnswerFilter> asyncAnswerFilter(ObjectProvider<HandlerExceptionResolver> resolvers,
                                                                LocaleResolver localeResolver) {
        FilterRegistrationBean<AsyncAnswerFilter> registration = new FilterRegistrationBean<>(new AsyncAnswerFilter(
                SingletonSupplier.of(() -> resolvers.orderedStream().toList()), localeResolver));
        registration.setDispatcherTypes(DispatcherType.ASYNC);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
