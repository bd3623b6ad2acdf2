package com.couponrush.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The usual fresh test database (see {@link TestServicesInitializer}), reached by the application through a
 * {@link TcpProxy} that the test can cut or freeze. Put {@link Initializer} on a test's
 * {@code @ContextConfiguration}; the proxy is then a bean of the context, closed with it, and
 * {@link DirectDataSource} goes around it for the test's own sessions.
 */
public final class ProxiedDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        new TestServicesInitializer().initialize(context);
        String url = context.getEnvironment().getRequiredProperty("spring.datasource.url");
        Matcher server = HOST_PORT.matcher(url);
        if (!server.find()) {
            throw new IllegalStateException("a proxied database needs a database server, not " + url);
        }
        TcpProxy proxy = TcpProxy.forward(Integer.parseInt(server.group(2)));
        TestPropertyValues.of(
                DirectDataSource.URL + "=" + url,
                "spring.datasource.url=" + server.replaceFirst("//127.0.0.1:" + proxy.port() + "/")
        ).applyTo(context);
        context.getBeanFactory().registerSingleton("databaseLink", proxy);
        context.addApplicationListener((ApplicationListener<ContextClosedEvent>) closed -> proxy.close());
    }
}
