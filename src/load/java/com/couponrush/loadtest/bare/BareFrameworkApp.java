package com.couponrush.loadtest.bare;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The framework's ceiling for the benchmark: the issuance request (a JSON body and an HS256 bearer token)
 * served by Spring Boot's plain web stack and nothing else — no Spring Security, no database, no actuator,
 * no metrics. What the service serves below this app's figures is the cost of its own layers.
 * <p>
 * It runs from the service jar's own libraries (the benchmark starts it with the jar's PropertiesLauncher),
 * where Spring Security, JDBC and the rest are on the class path: the auto-configurations are therefore listed
 * one by one, those of a web application with Spring MVC, Tomcat and Jackson, instead of enabled wholesale.
 * The service jar's application.yml is on that class path too, so Tomcat gets exactly the service's settings
 * (connections, accept queue, processor cache, virtual threads), and so do the jar's {@code spring.factories}
 * (the default of its request threads on platform threads); the yml's other keys configure nothing here.
 * <p>
 * Neither this class nor its controller carries a stereotype ({@code @Configuration}, {@code @RestController}):
 * the tests have src/load on their class path, and the service's component scan of {@code com.couponrush} must
 * never find a second handler for the issuance path. As the primary source this class is still a configuration
 * (its imports and bean methods are processed), and the controller is mapped by type instead of by annotation.
 */
@ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class,
        MultipartAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class})
@Import(BareIssueController.class)
public class BareFrameworkApp {

    @Bean
    BareTokenVerifier bareTokenVerifier(@Value("${app.jwt.secret:}") String secret) {
        return new BareTokenVerifier(secret);
    }

    /** Spring MVC's own mapping, handed the controller by type: the request path is the annotated one's. */
    @Bean
    WebMvcRegistrations bareIssueControllerMapping() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new RequestMappingHandlerMapping() {
                    @Override
                    protected boolean isHandler(Class<?> beanType) {
                        return beanType == BareIssueController.class || super.isHandler(beanType);
                    }
                };
            }
        };
    }

    public static void main(String[] args) {
        SpringApplication.run(BareFrameworkApp.class, args);
    }
}
