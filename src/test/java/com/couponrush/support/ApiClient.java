package com.couponrush.support;

import com.couponrush.user.Role;
import com.couponrush.user.UserService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to the running application over real HTTP, the way the seed's k6 script and its users do. */
@TestComponent
public class ApiClient {

    public static final String PASSWORD = "Passw0rd!";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Environment environment;
    private final JsonMapper json;
    private final UserService userService;
    private final JdbcTemplate jdbc;
    private final PasswordEncoder passwords;
    private final JwtEncoder jwt;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(Environment environment, JsonMapper json, UserService userService, JdbcTemplate jdbc,
                     PasswordEncoder passwords, JwtEncoder jwt) {
        this.environment = environment;
        this.json = json;
        this.userService = userService;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.jwt = jwt;
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {

        public JsonNode data() {
            return body.path("data");
        }

        public String reason() {
            return body.path("reason").asString();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    public record TestUser(long id, String email, String token) {
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port");
    }

    public Response get(String path, String token) {
        return send("GET", path, null, token, Map.of());
    }

    public Response post(String path, Object body, String token) {
        return send("POST", path, body, token, Map.of());
    }

    public Response put(String path, Object body, String token) {
        return send("PUT", path, body, token, Map.of());
    }

    public Response send(String method, String path, Object body, String token, Map<String, String> headers) {
        String payload = body == null ? null : body instanceof String raw ? raw : json.writeValueAsString(body);
        Map<String, String> all = new LinkedHashMap<>();
        if (payload != null) {
            all.put("Content-Type", "application/json");
        }
        if (token != null) {
            all.put("Authorization", token);
        }
        all.putAll(headers);
        return exchange(method, path, payload, all);
    }

    /** Sends exactly the given bytes and headers: for malformed bodies and wrong content types. */
    public Response exchange(String method, String path, String payload, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(payload));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), parse(response.body()), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String body) {
        if (body.isBlank()) {
            return json.nullNode();
        }
        try {
            return json.readTree(body);
        } catch (JacksonException notJson) {
            return json.getNodeFactory().stringNode(body);
        }
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8)
                + "@test.coupon-rush.dev";
    }

    public Response signUp(String email, String password) {
        return post("/api/v1/auth/signup",
                Map.of("email", email, "password", password, "nickname", "tester", "address", "Seoul"), null);
    }

    public String signIn(String email, String password) {
        Response response = post("/api/v1/auth/signin", Map.of("email", email, "password", password), null);
        if (response.status() != 200) {
            throw new IllegalStateException("sign-in failed: " + response);
        }
        return response.data().path("accessToken").asString();
    }

    public TestUser newUser() {
        String email = uniqueEmail("user");
        Response signUp = signUp(email, PASSWORD);
        if (signUp.status() != 200) {
            throw new IllegalStateException("sign-up failed: " + signUp);
        }
        return new TestUser(signUp.data().path("userId").asLong(), email, signIn(email, PASSWORD));
    }

    /** Many users at once, signed in without BCrypt or HTTP (see {@link TestUsers}). */
    public List<TestUser> newUsers(int count) {
        return TestUsers.insertWithTokens(jdbc, passwords, jwt, count);
    }

    /** Admins cannot be made through the public API without an admin, so the first one is registered directly. */
    public TestUser newAdmin() {
        String email = uniqueEmail("admin");
        long id = userService.register(email, PASSWORD, "admin", null, Role.ADMIN).getId();
        return new TestUser(id, email, signIn(email, PASSWORD));
    }

    public Map<String, Object> couponBody(int quantity, Integer perUserLimit, LocalDateTime start, LocalDateTime end) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "coupon-" + SEQUENCE.incrementAndGet());
        body.put("description", "test coupon");
        body.put("discountAmount", 1000);
        body.put("quantity", quantity);
        body.put("startDate", start.toString());
        body.put("endDate", end.toString());
        if (perUserLimit != null) {
            body.put("perUserLimit", perUserLimit);
        }
        return body;
    }

    public long createCoupon(TestUser admin, int quantity, Integer perUserLimit) {
        LocalDateTime now = LocalDateTime.now();
        return createCoupon(admin, couponBody(quantity, perUserLimit, now.minusHours(1), now.plusDays(1)));
    }

    public long createCoupon(TestUser admin, Map<String, Object> body) {
        Response response = post("/api/v1/coupons", body, admin.token());
        if (response.status() != 200) {
            throw new IllegalStateException("coupon creation failed: " + response);
        }
        return response.data().path("couponId").asLong();
    }

    public Response issue(TestUser user, long couponId) {
        return post("/api/v1/user-coupon", Map.of("couponId", couponId), user.token());
    }

    public Response issue(TestUser user, long couponId, String idempotencyKey) {
        return send("POST", "/api/v1/user-coupon", Map.of("couponId", couponId), user.token(),
                Map.of("Idempotency-Key", idempotencyKey));
    }

    /**
     * A keyed issuance whose answer nobody's thread waits for, so that a test can keep a thousand in flight; it
     * completes exceptionally ({@link java.net.http.HttpTimeoutException}) if no answer came within
     * {@code timeout}.
     */
    public CompletableFuture<Response> issueAsync(TestUser user, long couponId, String idempotencyKey,
                                                  Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/user-coupon"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", user.token())
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("couponId", couponId))))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Response(response.statusCode(), parse(response.body()), response));
    }
}
