package com.couponrush.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A bug is answered 500 {@code INTERNAL_ERROR} with an {@code errorId}, and the log has the same id beside the
 * failure's stack trace, wherever the bug surfaced: in a handler, in a filter (Spring's /error), or while the
 * error itself was being answered (Tomcat's error report).
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@Import(UnexpectedErrorsIT.Bugs.class)
class UnexpectedErrorsIT {

    @Autowired
    ApiClient api;

    @Test
    void aBugInAHandlerIsA500WithAnErrorIdThatTheLogHasWithTheStackTrace(CapturedOutput output) {
        ApiClient.Response answer = api.get("/test/bug/handler", null);

        assertBugAnswered(answer, output, "a bug in a handler");
    }

    @Test
    void aBugInAFilterIsA500WithAnErrorIdThatTheLogHasWithTheStackTrace(CapturedOutput output) {
        ApiClient.Response answer = api.get("/test/bug/filter", null);

        assertBugAnswered(answer, output, "a bug in a filter");
    }

    @Test
    void aBugWhileAnsweringABugIsStillA500WithAnErrorId(CapturedOutput output) {
        ApiClient.Response answer = api.get("/test/bug/twice", null);

        assertBugAnswered(answer, output, "a bug in a filter, again on /error");
    }

    @Test
    void anAnswerThatIsNoBugCarriesNoErrorId() {
        ApiClient.Response notFound = api.get("/api/v1/no-such-page", api.newUser().token());

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.body().has("errorId")).isFalse();
    }

    private static void assertBugAnswered(ApiClient.Response answer, CapturedOutput output, String bug) {
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.reason()).isEqualTo("INTERNAL_ERROR");
        assertThat(answer.body().path("code").asInt()).isEqualTo(500);
        String errorId = answer.body().path("errorId").asString();
        assertThat(UUID.fromString(errorId)).as("a fresh id").isNotNull();
        assertThat(output.getOut()).contains("errorId " + errorId);
        String fromTheId = output.getOut().substring(output.getOut().indexOf("errorId " + errorId));
        assertThat(fromTheId).as("the failure logged under the id").contains(bug);
    }

    /** Endpoints and a filter with a bug each. */
    @TestConfiguration(proxyBeanMethods = false)
    @RestController
    static class Bugs {

        @GetMapping("/test/bug/handler")
        Map<String, String> handler() {
            throw new IllegalStateException("a bug in a handler");
        }

        @Bean
        FilterRegistrationBean<Filter> filterWithABug() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                Object failedPath = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
                if (http.getDispatcherType() == DispatcherType.ERROR && "/test/bug/twice".equals(failedPath)) {
                    throw new IllegalStateException("a bug in a filter, again on /error");
                }
                if (http.getDispatcherType() == DispatcherType.REQUEST
                        && http.getRequestURI().matches("/test/bug/(filter|twice)")) {
                    throw new IllegalStateException(http.getRequestURI().endsWith("twice")
                            ? "a bug in a filter, again on /error" : "a bug in a filter");
                }
                chain.doFilter(request, response);
            });
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
            return registration;
        }
    }
}
