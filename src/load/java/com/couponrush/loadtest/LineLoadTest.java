package com.couponrush.loadtest;

import com.couponrush.loadtest.driver.LineDriver;
import java.sql.Driver;
import java.util.ServiceLoader;

/**
 * The waiting line's load test against a running service (docs/load-testing.md): every account takes a place in
 * one coupon's line at once and waits for its outcome ({@link LineDriver}), then the joins' summary, the integrity
 * verdict and the line's verdict. Exits 1 on FAIL. Options are the load test's {@code -Dload.*}, target {@code line}.
 */
public final class LineLoadTest {

    private LineLoadTest() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Under exec:java this class lives in a child class loader that DriverManager did not scan at start-up.
        ServiceLoader.load(Driver.class, LineLoadTest.class.getClassLoader()).forEach(driver -> { });
        System.setProperty("load.target", LoadOptions.LINE);
        LoadRun.Report report = LineDriver.run(LoadRun.prepare(LoadOptions.fromSystemProperties(), System.out));
        System.out.println("[line] verdict: " + report.verdictWord());
        if (!report.passed()) {
            System.exit(1);
        }
    }
}
