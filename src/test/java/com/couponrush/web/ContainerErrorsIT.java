package com.couponrush.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Requests Tomcat refuses before any servlet runs, sent byte for byte over a socket (an HTTP client would
 * encode or refuse them): they are answered in the same JSON envelope as everything else, not Tomcat's HTML.
 */
@IntegrationTest
class ContainerErrorsIT {

    @Autowired
    Environment environment;

    @Autowired
    ObjectMapper json;

    @Test
    void anEncodedNulInThePathIsA400InTheEnvelopeInTheClientsLanguage() throws IOException {
        RawResponse korean = send("GET /api/v1/coupons/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawResponse english = send("GET /api/v1/coupons/%00 HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\n"
                + "Connection: close\r\n\r\n");

        assertEnvelope(korean, 400, "MALFORMED_REQUEST");
        assertThat(json.readTree(korean.body()).path("message").asString()).isEqualTo("요청 형식이 올바르지 않습니다.");
        assertEnvelope(english, 400, "MALFORMED_REQUEST");
        assertThat(json.readTree(english.body()).path("message").asString()).isEqualTo("The request is malformed.");
    }

    /** Refused while reading the request line, before any header is read: the default language answers. */
    @Test
    void anInvalidCharacterInTheRequestTargetIsA400InTheEnvelope() throws IOException {
        RawResponse response = send("GET /api/v1/coupons/{1} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertEnvelope(response, 400, "MALFORMED_REQUEST");
    }

    @Test
    void aTooLargeHeaderIsAnswered400InTheEnvelope() throws IOException {
        RawResponse response = send("GET /api/v1/coupons HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");

        assertEnvelope(response, 400, "MALFORMED_REQUEST");
    }

    @Test
    void theErrorPathAskedForDirectlyIsA404InTheEnvelope() throws IOException {
        RawResponse response = send("GET /error HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertEnvelope(response, 404, "NOT_FOUND");
    }

    private void assertEnvelope(RawResponse response, int status, String reason) throws IOException {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.headers().get("content-type")).as(response.toString()).startsWith("application/json");
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("code").asInt()).isEqualTo(status);
        assertThat(body.path("reason").asString()).isEqualTo(reason);
        assertThat(body.path("message").asString()).isNotBlank();
        assertThat(body.path("timestamp").asString()).isNotBlank();
    }

    record RawResponse(int status, Map<String, String> headers, String body) {
    }

    private RawResponse send(String request) throws IOException {
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String raw = readAll(socket.getInputStream());
            int headerEnd = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, headerEnd).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            String body = body(headers, raw.substring(headerEnd + 4));
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
    }

    private static String body(Map<String, String> headers, String rest) {
        if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return rest;
        }
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = rest.indexOf("\r\n", at);
            int size = Integer.parseInt(rest.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(rest, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            in.transferTo(bytes);
        } catch (java.net.SocketException resetAfterAnswer) {
            // Tomcat may reset a connection it refused once the answer is out
        }
        // one char per byte, so that chunk sizes count right; the body is decoded as UTF-8 once unchunked
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
