package com.couponrush.requestpath;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/** The framework runs this module's pieces where its own would have run, and answers as it would have. */
@IntegrationTest
class RequestPathInPlaceIT {

    @Autowired
    ApiClient api;
    @Autowired
    FilterChainProxy springSecurityFilterChain;
    @Autowired
    MeterRegistry meters;
    @Autowired
    HttpFirewall firewall;
    @Autowired
    RequestMappingHandlerAdapter handlerAdapter;
    @Autowired
    WebServerApplicationContext webServerContext;
    @Autowired
    Environment environment;

    /** Spring Security's observations are spans this service does not export: not even their wrappers run. */
    @Test
    void springSecurityRunsWithoutObservationWrappers() {
        ApiClient.TestUser user = api.newUser();

        assertThat(api.get("/api/v1/auth/ping", user.token()).status()).isEqualTo(200);

        assertThat(ReflectionTestUtils.getField(filterChainProxyInUse(), "filterChainDecorator"))
                .isNotInstanceOf(ObservationFilterChainDecorator.class);
        assertThat(meters.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("spring.security"));
    }

    /** The firewall and the token resolver that skip the regular expressions are the ones in the chain. */
    @Test
    void springSecurityChecksHeadersAndTokensWithoutRegularExpressions() {
        assertThat(ReflectionTestUtils.getField(firewall, "allowedHeaderValues")).as("the firewall's value check")
                .satisfies(check -> assertThat(check.getClass().getName())
                        .startsWith(HeaderCharacters.class.getName()));
        assertThat(ReflectionTestUtils.getField(filterChainProxyInUse(), "firewall")).isSameAs(firewall);
        assertThat(springSecurityFilterChain.getFilterChains()).flatExtracting(SecurityFilterChain::getFilters)
                .filteredOn(BearerTokenAuthenticationFilter.class::isInstance)
                .singleElement()
                .satisfies(filter -> assertThat(ReflectionTestUtils.getField(
                        ReflectionTestUtils.getField(filter, "authenticationConverter"), "bearerTokenResolver"))
                        .isInstanceOf(BearerHeaderTokens.class));
    }

    /** Tokens the quick check leaves to Spring Security are answered as Spring Security answers them. */
    @Test
    void tokensInAnotherSpellingOrMalformedAreDecidedByTheLibrary() {
        ApiClient.TestUser user = api.newUser();
        String token = user.token().replaceFirst("^Bearer ", "");

        assertThat(api.get("/api/v1/auth/ping", "bearer " + token).status()).isEqualTo(200);
        ApiClient.Response malformed = api.get("/api/v1/auth/ping", "Bearer " + token + " x");
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(malformed.reason()).isEqualTo("UNAUTHENTICATED");
        assertThat(api.get("/api/v1/auth/ping", "Bearer " + token + "x").status()).as("a bad signature")
                .isEqualTo(401);
    }

    /**
     * The issuance endpoint answers with a {@code ResponseEntity}, whose writer would flush the response before
     * its length is known; each answer, an issue and a refusal, is still sent with its length, not chunked.
     */
    @Test
    void issuanceAnswersAreSentWithTheirLength() {
        ApiClient.TestUser admin = api.newAdmin();
        long couponId = api.createCoupon(admin, 1, 0);
        List<ApiClient.TestUser> users = api.newUsers(2);

        ApiClient.Response issued = api.issue(users.get(0), couponId);
        ApiClient.Response soldOut = api.issue(users.get(1), couponId);

        assertThat(issued.status()).isEqualTo(200);
        assertThat(soldOut.reason()).isEqualTo("COUPON_SOLD_OUT");
        for (ApiClient.Response answer : List.of(issued, soldOut)) {
            assertThat(answer.raw().headers().firstValue("Transfer-Encoding")).as(answer.toString()).isEmpty();
            assertThat(answer.raw().headers().firstValueAsLong("Content-Length")).as(answer.toString())
                    .hasValue(answer.raw().body().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    /** Every future a handler returns is seen first by the handler that can answer it in the first pass. */
    @Test
    void futuresAreAnsweredInPlaceBeforeServletAsyncSeesThem() {
        assertThat(handlerAdapter.getReturnValueHandlers()).first().isInstanceOf(FuturesAnsweredInPlace.class);
    }

    /**
     * On virtual threads the connector's request threads start in turns, and it answers through them; on platform
     * threads it has a few per core, so that a crowd's runnable request threads leave the engine's their share.
     */
    @Test
    void theConnectorRunsRequestsOnThisModulesExecutorOrOnFewPlatformThreads() {
        ApiClient.TestUser user = api.newUser();

        assertThat(api.get("/api/v1/auth/ping", user.token()).status()).isEqualTo(200);

        Executor executor = ((TomcatWebServer) webServerContext.getWebServer()).getTomcat().getConnector()
                .getProtocolHandler().getExecutor();
        if (Threading.VIRTUAL.isActive(environment)) {
            assertThat(executor).isInstanceOf(RequestStartsInTurns.class);
        } else {
            assertThat(executor).isInstanceOf(ThreadPoolExecutor.class);
            assertThat(((ThreadPoolExecutor) executor).getMaximumPoolSize())
                    .isEqualTo(PlatformRequestThreads.forCores(Runtime.getRuntime().availableProcessors()));
        }
    }

    /**
     * The proxy that runs the chains: the bean is a composite around it when Spring MVC is present
     * (Spring Security's WebMvcSecurityConfiguration), whose own firewall and decorator are never used.
     */
    private Object filterChainProxyInUse() {
        Field inner = ReflectionUtils.findField(springSecurityFilterChain.getClass(), "springSecurityFilterChain");
        return inner == null ? springSecurityFilterChain
                : ReflectionTestUtils.getField(springSecurityFilterChain, "springSecurityFilterChain");
    }
}
