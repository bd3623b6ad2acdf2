package com.couponrush.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few calls a load run makes besides the load itself (sign-up, sign-in, coupon creation, coupon state),
 * plus the scenario's own requests for the plain-Java driver. Same paths and bodies as the k6 script.
 */
public final class CouponRushApi {

    public static final String ISSUE_PATH = "/api/v1/user-coupon";
    public static final String PING_PATH = "/api/v1/auth/ping";

    private static final JsonMapper JSON = new JsonMapper();

    private final String baseUrl;
    private final HttpClient http;

    public CouponRushApi(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public record Reply(int status, JsonNode body) {

        public String reason() {
            return body.path("reason").asString("");
        }

        public JsonNode data() {
            return body.path("data");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Quantity, issued and remaining as the API reports them: the counter side of the integrity check. */
    public record CouponState(long couponId, int quantity, int issuedCount, int remaining, int perUserLimit) {
    }

    public String baseUrl() {
        return baseUrl;
    }

    public static String issueBody(long couponId) {
        return "{\"couponId\":" + couponId + "}";
    }

    public Reply signUp(String email, String password) {
        return send("POST", "/api/v1/auth/signup", json(Map.of("email", email, "password", password,
                "nickname", "loadtest", "address", "Seoul")), null);
    }

    public String signIn(String email, String password) {
        Reply reply = send("POST", "/api/v1/auth/signin", json(Map.of("email", email, "password", password)), null);
        if (reply.status() != 200) {
            throw new IllegalStateException("sign-in of " + email + " failed: " + reply);
        }
        return reply.data().path("accessToken").asString();
    }

    public long createCoupon(String adminToken, String name, int quantity, int perUserLimit) {
        LocalDateTime now = LocalDateTime.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "load test coupon");
        body.put("discountAmount", 1000);
        body.put("quantity", quantity);
        body.put("perUserLimit", perUserLimit);
        body.put("startDate", now.minusHours(1).withNano(0).toString());
        body.put("endDate", now.plusDays(1).withNano(0).toString());
        Reply reply = send("POST", "/api/v1/coupons", json(body), adminToken);
        if (reply.status() != 200) {
            throw new IllegalStateException("coupon creation failed: " + reply);
        }
        return reply.data().path("couponId").asLong();
    }

    public CouponState coupon(long couponId) {
        Reply reply = send("GET", "/api/v1/coupons/" + couponId, null, null);
        if (reply.status() != 200) {
            throw new IllegalStateException("coupon " + couponId + " could not be read: " + reply);
        }
        JsonNode data = reply.data();
        return new CouponState(couponId, data.path("quantity").asInt(), data.path("issuedCount").asInt(),
                data.path("remaining").asInt(), data.path("perUserLimit").asInt());
    }

    public Reply issue(String token, long couponId) {
        return send("POST", ISSUE_PATH, issueBody(couponId), token);
    }

    public Reply ping(String token) {
        return send("GET", PING_PATH, null, token);
    }

    public Reply send(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isBlank() ? JSON.nullNode() : parse(response.body());
            return new Reply(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException notJson) {
            return JSON.getNodeFactory().stringNode(body);
        }
    }

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
