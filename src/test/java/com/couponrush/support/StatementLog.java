package com.couponrush.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Stands between the application and its DataSource (import it into a test context) and records every statement
 * executed through it with the name of the thread that executed it, so a test can show which threads asked the
 * database what. It sees only what JDBC sees, so it holds whatever the engine's internals. Tests take a
 * {@link #mark()} before the phase they look at and read {@link #since} after it.
 */
@TestComponent
public class StatementLog implements BeanPostProcessor {

    private static final Pattern COUPON_TABLE = Pattern.compile("\\b(from|update|join|into)\\s+coupon\\b");

    /** A statement's reads or writes of the coupon table itself (not {@code user_coupon}). */
    public static final Predicate<Executed> ON_THE_COUPON_TABLE =
            executed -> COUPON_TABLE.matcher(executed.normalisedSql()).find();

    public record Executed(String thread, String sql) {

        public String normalisedSql() {
            return sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        }
    }

    private final List<Executed> executed = new CopyOnWriteArrayList<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource dataSource && !(bean instanceof LoggingDataSource)
                ? new LoggingDataSource(dataSource) : bean;
    }

    /** Where the log stands now: statements executed from here on are {@link #since} it. */
    public int mark() {
        return executed.size();
    }

    public List<Executed> since(int mark) {
        return List.copyOf(executed.subList(mark, executed.size()));
    }

    /** How many statements each thread executed since the mark, by thread name. */
    public Map<String, Long> byThread(int mark) {
        return since(mark).stream().collect(Collectors.groupingBy(Executed::thread, TreeMap::new,
                Collectors.counting()));
    }

    private final class LoggingDataSource extends DelegatingDataSource {

        LoggingDataSource(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return logged(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return logged(super.getConnection(username, password));
        }
    }

    private Connection logged(Connection connection) {
        return (Connection) Proxy.newProxyInstance(StatementLog.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new LoggingConnection(connection));
    }

    private void executed(String sql) {
        executed.add(new Executed(Thread.currentThread().getName(), sql));
    }

    private final class LoggingConnection implements InvocationHandler {

        private final Connection target;

        LoggingConnection(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "unwrap" -> {
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    }
                }
                case "isWrapperFor" -> {
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return true;
                    }
                }
                default -> {
                }
            }
            Object result = call(target, method, args);
            return switch (method.getName()) {
                case "prepareStatement" -> statement(result, PreparedStatement.class, (String) args[0]);
                case "prepareCall" -> statement(result, CallableStatement.class, (String) args[0]);
                case "createStatement" -> statement(result, Statement.class, null);
                default -> result;
            };
        }
    }

    /**
     * A statement that logs each execution on the thread that runs it: a prepared statement its own SQL, a plain
     * statement the SQL it is handed.
     */
    private Object statement(Object target, Class<?> type, String preparedSql) {
        return Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("execute")) {
                        executed(preparedSql != null ? preparedSql
                                : args != null && args.length > 0 && args[0] instanceof String sql ? sql : "?");
                    } else if (method.getName().equals("unwrap") && ((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    } else if (method.getName().equals("isWrapperFor") && ((Class<?>) args[0]).isInstance(proxy)) {
                        return true;
                    }
                    return call(target, method, args);
                });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
