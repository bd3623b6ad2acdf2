package com.couponrush.support;

import java.lang.reflect.InvocationHandler;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.test.context.TestComponent;

/**
 * Records every statement executed through the application's DataSource with the name of the thread that
 * executed it, so a test can show which threads asked the database what. Tests take a {@link #mark()} before the
 * phase they look at and read {@link #since} after it.
 */
@TestComponent
public class StatementLog extends DataSourceInterceptor {

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

    /** Where the log stands now: statements executed from here on are {@link #since} it. */
    public int mark() {
        return executed.size();
    }

    public List<Executed> since(int mark) {
        // A copy-on-write list's sub-list fails when a statement lands while it is read; its snapshot cannot.
        List<Executed> snapshot = List.copyOf(executed);
        return snapshot.subList(mark, snapshot.size());
    }

    /** How many statements each thread executed since the mark, by thread name. */
    public Map<String, Long> byThread(int mark) {
        return since(mark).stream().collect(Collectors.groupingBy(Executed::thread, TreeMap::new,
                Collectors.counting()));
    }

    @Override
    protected InvocationHandler intercept(Connection connection) {
        return (proxy, method, args) -> {
            Object result = forward(connection, method, args);
            return switch (method.getName()) {
                case "prepareStatement" -> logging(result, PreparedStatement.class, (String) args[0]);
                case "prepareCall" -> logging(result, CallableStatement.class, (String) args[0]);
                case "createStatement" -> logging(result, Statement.class, null);
                default -> result;
            };
        };
    }

    private void executed(String sql) {
        executed.add(new Executed(Thread.currentThread().getName(), sql));
    }

    /**
     * A statement that logs each execution on the thread that runs it: a prepared statement its own SQL, a plain
     * statement the SQL it is handed.
     */
    private Object logging(Object target, Class<?> type, String preparedSql) {
        return proxy(type, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executed(preparedSql != null ? preparedSql
                        : args != null && args.length > 0 && args[0] instanceof String sql ? sql : "?");
            }
            return forward(target, method, args);
        });
    }
}
