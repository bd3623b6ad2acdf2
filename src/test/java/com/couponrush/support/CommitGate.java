package com.couponrush.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestComponent;

/**
 * Lets a test decide when, and whether, a transaction that issues coupons (one that prepared an
 * {@code INSERT INTO user_coupon}) commits: once {@link #holdIssuingCommits()} is called, each such {@code commit()}
 * waits for the test's {@link #letOneCommit()} or {@link #failOne()}. Works on any database. It also records every
 * statement, for tests that must show the database was never asked.
 */
@TestComponent
public class CommitGate extends DataSourceInterceptor {

    private enum Verdict { COMMIT, FAIL }

    private volatile boolean holding;
    private final BlockingQueue<Verdict> verdicts = new LinkedBlockingQueue<>();
    private final AtomicInteger held = new AtomicInteger();
    private final List<String> statements = new CopyOnWriteArrayList<>();

    /** From now on, every issuing commit waits for the test's verdict. */
    public void holdIssuingCommits() {
        verdicts.clear();
        holding = true;
    }

    /** Commits pass again, the held ones included. */
    public void open() {
        holding = false;
    }

    /** Issuing commits waiting for a verdict right now. */
    public int held() {
        return held.get();
    }

    /** The longest-held waiting commit goes through. */
    public void letOneCommit() {
        verdicts.add(Verdict.COMMIT);
    }

    /** The longest-held waiting commit is rolled back and reported to the application as a lost connection. */
    public void failOne() {
        verdicts.add(Verdict.FAIL);
    }

    /** Every statement prepared or executed through the gate so far, in order. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    @Override
    protected InvocationHandler intercept(Connection connection) {
        return new GatedConnection(connection);
    }

    private final class GatedConnection implements InvocationHandler {

        private final Connection target;
        private boolean issuing;

        GatedConnection(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "prepareStatement", "prepareCall", "nativeSQL" -> seen((String) args[0]);
                case "commit" -> {
                    if (issuing && holding) {
                        awaitVerdict();
                    }
                    issuing = false;
                }
                case "rollback" -> issuing = false;
                default -> {
                }
            }
            Object result = forward(target, method, args);
            return result instanceof Statement statement && method.getName().equals("createStatement")
                    ? proxy(Statement.class, (statementProxy, statementMethod, statementArgs) -> {
                        if (statementMethod.getName().startsWith("execute") && statementArgs != null
                                && statementArgs.length > 0 && statementArgs[0] instanceof String sql) {
                            seen(sql);
                        }
                        return forward(statement, statementMethod, statementArgs);
                    })
                    : result;
        }

        private void seen(String sql) {
            statements.add(sql);
            if (sql.toLowerCase(Locale.ROOT).contains("insert into user_coupon")) {
                issuing = true;
            }
        }

        private void awaitVerdict() throws SQLException, InterruptedException {
            held.incrementAndGet();
            try {
                while (holding) {
                    Verdict verdict = verdicts.poll(20, TimeUnit.MILLISECONDS);
                    if (verdict == Verdict.FAIL) {
                        target.rollback();
                        throw new SQLException("commit failed: connection lost (CommitGate)", "08006");
                    }
                    if (verdict == Verdict.COMMIT) {
                        return;
                    }
                }
            } finally {
                held.decrementAndGet();
            }
        }
    }
}
