package com.couponrush.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data a run needs, made through the public API like a real event's users would: an admin signs in and
 * creates the coupon, and many users sign up and sign in. BCrypt makes each sign-up and sign-in cost the
 * server tens of milliseconds of CPU, so they run in parallel; an accounts file with tokens skips them.
 */
public final class LoadFixture {

    public record Account(String email, String password, String token) {
    }

    public record Fixture(Optional<Long> couponId, List<Account> accounts) {
    }

    private LoadFixture() {
    }

    public static Fixture prepare(LoadOptions options, CouponRushApi api, PrintStream out) {
        long started = System.nanoTime();
        List<Account> accounts = options.accounts().isPresent()
                ? signIn(read(options.accounts().get()), api, options.prepThreads(), out)
                : signUp(options.users(), options.userPassword(), api, options.prepThreads(), out);
        if (accounts.isEmpty()) {
            throw new IllegalStateException("a load run needs at least one account");
        }
        Optional<Long> couponId = Optional.empty();
        if (options.issuing()) {
            couponId = Optional.of(options.couponId().orElseGet(() -> createCoupon(options, api, out)));
        }
        out.printf("[prepare] %d accounts ready%s in %.1f s%n", accounts.size(),
                couponId.map(id -> ", coupon " + id).orElse(""), (System.nanoTime() - started) / 1e9);
        return new Fixture(couponId, accounts);
    }

    static long createCoupon(LoadOptions options, CouponRushApi api, PrintStream out) {
        if (options.adminPassword().isBlank()) {
            throw new IllegalStateException("creating the coupon needs an ADMIN: pass -Dload.adminEmail and "
                    + "-Dload.adminPassword (the service's app.bootstrap-admin), or -Dload.couponId of an existing coupon");
        }
        String adminToken = api.signIn(options.adminEmail(), options.adminPassword());
        long couponId = api.createCoupon(adminToken, "load-test " + options.label(), options.quantity(),
                options.perUserLimit());
        out.printf("[prepare] created coupon %d: quantity %d, per-user limit %s%n", couponId, options.quantity(),
                options.perUserLimit() == 0 ? "unlimited" : options.perUserLimit());
        return couponId;
    }

    public static List<Account> signUp(int count, String password, CouponRushApi api, int threads, PrintStream out) {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<String> emails = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            emails.add("load-" + batch + "-" + i + "@load.coupon-rush.dev");
        }
        out.printf("[prepare] signing up and signing in %d users (%d in parallel)%n", count, threads);
        return inParallel(emails, threads, out, email -> {
            CouponRushApi.Reply reply = api.signUp(email, password);
            if (reply.status() == 429) {
                throw new IllegalStateException("sign-up of " + email + " throttled: start the service with "
                        + "--app.throttle.sign-up.per-address=" + count + " or more (" + reply + ")");
            }
            if (reply.status() != 200) {
                throw new IllegalStateException("sign-up of " + email + " failed: " + reply);
            }
            return new Account(email, password, api.signIn(email, password));
        });
    }

    static List<Account> signIn(List<Account> accounts, CouponRushApi api, int threads, PrintStream out) {
        long missing = accounts.stream().filter(account -> account.token() == null).count();
        if (missing == 0) {
            return accounts;
        }
        out.printf("[prepare] signing in %d of %d accounts (%d in parallel)%n", missing, accounts.size(), threads);
        return inParallel(accounts, threads, out, account -> account.token() != null ? account
                : new Account(account.email(), account.password(), api.signIn(account.email(), account.password())));
    }

    /** {@code email,password[,token]} per line; {@code #} starts a comment. */
    public static List<Account> read(Path file) {
        try {
            List<Account> accounts = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split(",", 3);
                if (fields.length < 2) {
                    throw new IllegalArgumentException("accounts line is not 'email,password[,token]': " + line);
                }
                String token = fields.length == 3 && !fields[2].isBlank() ? fields[2].trim() : null;
                accounts.add(new Account(fields[0].trim(), fields[1].trim(), token));
            }
            return accounts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read accounts file " + file, e);
        }
    }

    public static void write(Path file, List<Account> accounts) {
        List<String> lines = new ArrayList<>();
        lines.add("# email,password,token (the token can be left out: the load test then signs in)");
        accounts.forEach(account -> lines.add(account.email() + "," + account.password() + ","
                + (account.token() == null ? "" : account.token())));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Step<T> {
        Account apply(T input) throws Exception;
    }

    private static <T> List<Account> inParallel(List<T> inputs, int threads, PrintStream out, Step<T> step) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        AtomicInteger done = new AtomicInteger();
        long started = System.nanoTime();
        try {
            List<Future<Account>> futures = new ArrayList<>(inputs.size());
            for (T input : inputs) {
                futures.add(pool.submit(() -> {
                    Account account = step.apply(input);
                    int finished = done.incrementAndGet();
                    if (finished % 100 == 0 && finished < inputs.size()) {
                        out.printf("[prepare] %d/%d accounts (%.1f s)%n", finished, inputs.size(),
                                (System.nanoTime() - started) / 1e9);
                    }
                    return account;
                }));
            }
            List<Account> accounts = new ArrayList<>(inputs.size());
            for (Future<Account> future : futures) {
                accounts.add(future.get());
            }
            return accounts;
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing accounts failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
