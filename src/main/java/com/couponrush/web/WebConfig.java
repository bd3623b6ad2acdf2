package com.couponrush.web;

import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

@Configuration(proxyBeanMethods = false)
class WebConfig {

    /** Korean as in the seed; English for clients that ask for it with Accept-Language. */
    @Bean
    LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver();
        resolver.setDefaultLocale(Locale.KOREAN);
        resolver.setSupportedLocales(List.of(Locale.KOREAN, Locale.ENGLISH));
        return resolver;
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemDefaultZone();
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
}
