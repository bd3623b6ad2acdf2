package com.couponrush.web;

import org.apache.catalina.Container;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts {@link JsonErrorReportValve} where Tomcat (and Spring Boot) would put their HTML error page. */
@Configuration(proxyBeanMethods = false)
class ContainerErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReportValve(
            ObjectProvider<ErrorResponses> errors) {
        return new JsonErrorReportValveCustomizer(errors);
    }

    /** Runs after Boot's own Tomcat customizer, which adds the valve this one replaces. */
    private record JsonErrorReportValveCustomizer(ObjectProvider<ErrorResponses> errors)
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> replaceErrorReportValve(context.getParent(), errors));
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /**
     * Boot adds a plain ErrorReportValve to the host, and the host adds one of its configured class at start
     * unless it finds it: both are replaced by ours, and the host is told its class so that it adds no other.
     */
    private static void replaceErrorReportValve(Container parent, ObjectProvider<ErrorResponses> errors) {
        if (!(parent instanceof StandardHost host)) {
            return;
        }
        for (var valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
        host.getPipeline().addValve(new JsonErrorReportValve(errors));
    }
}
