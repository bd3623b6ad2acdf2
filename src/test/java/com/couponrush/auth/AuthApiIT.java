package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.IntegrationTest;
import com.couponrush.user.UserRepository;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class AuthApiIT {

    @Autowired
    ApiClient api;

    @Autowired
    UserRepository users;

    @Test
    void signUpReturnsTheNewUserIdInTheSeedEnvelope() {
        Response response = api.signUp(ApiClient.uniqueEmail("signup"), ApiClient.PASSWORD);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("code").asInt()).isEqualTo(200);
        assertThat(response.body().path("status").asString()).isEqualTo("OK");
        assertThat(response.body().has("message")).isTrue();
        assertThat(users.findById(response.data().path("userId").asLong())).isPresent();
    }

    @Test
    void duplicateEmailIsAConflictWhateverItsCase() {
        String email = ApiClient.uniqueEmail("dup");
        assertThat(api.signUp(email, ApiClient.PASSWORD).status()).isEqualTo(200);

        Response again = api.signUp(email.toUpperCase(), ApiClient.PASSWORD);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.reason()).isEqualTo("EMAIL_ALREADY_EXISTS");
        assertThat(again.body().path("status").asString()).isEqualTo("CONFLICT");
        assertThat(again.body().path("code").asInt()).isEqualTo(409);
        assertThat(again.body().path("timestamp").asString()).isNotBlank();
    }

    @Test
    void passwordPolicyOfTheSeedIsEnforcedAndNamesTheField() {
        for (String weak : new String[] {"Sh0rt!a", "alllowercase1!", "ALLUPPERCASE1!", "NoDigits!!", "NoSpecial123"}) {
            String email = ApiClient.uniqueEmail("weak");
            Response response = api.signUp(email, weak);

            assertThat(response.status()).as(weak).isEqualTo(400);
            assertThat(response.reason()).isEqualTo("INVALID_INPUT");
            assertThat(response.body().path("fieldErrors").findValuesAsString("field")).containsExactly("password");
            assertThat(users.findByEmail(email)).as("no partial write").isEmpty();
        }
        assertThat(api.signUp(ApiClient.uniqueEmail("eight"), "Abcdef1!").status()).isEqualTo(200);
    }

    @Test
    void everyInvalidFieldIsNamed() {
        Response response = api.post("/api/v1/auth/signup",
                Map.of("email", "not-an-email", "password", ApiClient.PASSWORD, "nickname", ""), null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("fieldErrors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("email", "nickname");
    }

    @Test
    void signInReturnsABearerTokenThatAuthenticates() {
        ApiClient.TestUser user = api.newUser();

        assertThat(user.token()).startsWith("Bearer ");
        Response me = api.get("/api/v1/users/me", user.token());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.data().path("email").asString()).isEqualTo(user.email());
        assertThat(me.data().path("role").asString()).isEqualTo("USER");
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        ApiClient.TestUser user = api.newUser();

        Response wrong = api.post("/api/v1/auth/signin", Map.of("email", user.email(), "password", "Wrong123!"), null);
        Response unknown = api.post("/api/v1/auth/signin",
                Map.of("email", ApiClient.uniqueEmail("nobody"), "password", ApiClient.PASSWORD), null);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.reason()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body().path("message").asString()).isEqualTo(wrong.body().path("message").asString());
    }

    @Test
    void malformedJsonWrongContentTypeAndWrongMethodAreClientErrors() {
        Response malformed = api.exchange("POST", "/api/v1/auth/signup", "{\"email\": ",
                Map.of("Content-Type", "application/json"));
        Response textPlain = api.exchange("POST", "/api/v1/auth/signin", "hello", Map.of("Content-Type", "text/plain"));
        Response wrongMethod = api.get("/api/v1/auth/signin", null);
        Response wrongType = api.exchange("POST", "/api/v1/auth/signup", "{\"email\": [1, 2]}",
                Map.of("Content-Type", "application/json"));

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.reason()).isEqualTo("MALFORMED_REQUEST");
        assertThat(textPlain.status()).isEqualTo(415);
        assertThat(textPlain.reason()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.reason()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().path("fieldErrors").findValuesAsString("field")).containsExactly("email");
    }
}
