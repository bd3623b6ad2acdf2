package com.couponrush.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * What the JDBC-level test components share: imported into a test context, the component stands between the
 * application and its DataSource and hands out every connection behind a handler of its own. It sees only what
 * JDBC sees, so it holds whatever the engine's internals.
 */
abstract class DataSourceInterceptor implements BeanPostProcessor {

    @Override
    public final Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource dataSource && !interceptedHere(bean)
                ? new InterceptedDataSource(dataSource) : bean;
    }

    /** Another interceptor's DataSource (a test may import several) is intercepted again, this one's not. */
    private boolean interceptedHere(Object bean) {
        return bean instanceof InterceptedDataSource intercepted && intercepted.interceptor() == this;
    }

    /** Handles the calls on one connection; {@link #forward} passes a call on to it. */
    protected abstract InvocationHandler intercept(Connection connection);

    /**
     * A proxy of a JDBC interface: {@code unwrap} and {@code isWrapperFor} answer for the proxy itself (Hikari
     * and Spring unwrap connections), every other call goes to the handler.
     */
    static Object proxy(Class<?> type, InvocationHandler calls) {
        return Proxy.newProxyInstance(DataSourceInterceptor.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    boolean askedAboutItself = args != null && args.length == 1 && args[0] instanceof Class<?> asked
                            && asked.isInstance(proxy);
                    if (askedAboutItself && method.getName().equals("unwrap")) {
                        return proxy;
                    }
                    if (askedAboutItself && method.getName().equals("isWrapperFor")) {
                        return true;
                    }
                    return calls.invoke(proxy, method, args);
                });
    }

    /** The call on the real object, throwing what it throws rather than the reflection's wrapper. */
    static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final class InterceptedDataSource extends DelegatingDataSource {

        InterceptedDataSource(DataSource target) {
            super(target);
        }

        DataSourceInterceptor interceptor() {
            return DataSourceInterceptor.this;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            return (Connection) proxy(Connection.class, intercept(connection));
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Connection connection = super.getConnection(username, password);
            return (Connection) proxy(Connection.class, intercept(connection));
        }
    }
}
