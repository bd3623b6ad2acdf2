package com.couponrush.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.Response;
import com.couponrush.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@IntegrationTest
class UserApiIT {

    @Autowired
    ApiClient api;

    @Test
    void meNeedsAValidToken() {
        Response anonymous = api.get("/api/v1/users/me", null);
        Response forged = api.get("/api/v1/users/me", "Bearer not.a.jwt");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.reason()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.body().path("code").asInt()).isEqualTo(401);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.reason()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void changingThePasswordTakesEffectOnNextSignIn() {
        ApiClient.TestUser user = api.newUser();

        Response changed = api.put("/api/v1/users",
                Map.of("oldPassword", ApiClient.PASSWORD, "newPassword", "NewPassw0rd!"), user.token());

        assertThat(changed.status()).isEqualTo(200);
        assertThat(api.signIn(user.email(), "NewPassw0rd!")).startsWith("Bearer ");
        Response old = api.post("/api/v1/auth/signin", Map.of("email", user.email(), "password", ApiClient.PASSWORD),
                null);
        assertThat(old.status()).isEqualTo(401);
    }

    @Test
    void passwordChangeRefusesWrongOldSameNewAndWeakNew() {
        ApiClient.TestUser user = api.newUser();

        Response wrongOld = api.put("/api/v1/users",
                Map.of("oldPassword", "Wrong123!", "newPassword", "NewPassw0rd!"), user.token());
        Response same = api.put("/api/v1/users",
                Map.of("oldPassword", ApiClient.PASSWORD, "newPassword", ApiClient.PASSWORD), user.token());
        Response weak = api.put("/api/v1/users",
                Map.of("oldPassword", ApiClient.PASSWORD, "newPassword", "weak"), user.token());

        assertThat(wrongOld.status()).isEqualTo(400);
        assertThat(wrongOld.reason()).isEqualTo("WRONG_PASSWORD");
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.reason()).isEqualTo("SAME_PASSWORD");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body().path("fieldErrors").findValuesAsString("field")).containsExactly("newPassword");
        assertThat(api.signIn(user.email(), ApiClient.PASSWORD)).as("password unchanged").startsWith("Bearer ");
    }

    @Test
    void anAdminGrantsAdminToAUserWhoThenActsAsAdmin() {
        ApiClient.TestUser admin = api.newAdmin();
        ApiClient.TestUser user = api.newUser();

        Response granted = api.put("/api/v1/users/" + user.id() + "/admin", null, admin.token());

        assertThat(granted.status()).isEqualTo(200);
        String freshToken = api.signIn(user.email(), ApiClient.PASSWORD);
        assertThat(api.get("/api/v1/users/me", freshToken).data().path("role").asString()).isEqualTo("ADMIN");
        long couponId = api.createCoupon(new ApiClient.TestUser(user.id(), user.email(), freshToken), 5, null);
        assertThat(couponId).isPositive();
    }

    @Test
    void onlyAdminsGrantAndNeverToThemselvesOrToAnotherAdmin() {
        ApiClient.TestUser admin = api.newAdmin();
        ApiClient.TestUser otherAdmin = api.newAdmin();
        ApiClient.TestUser user = api.newUser();
        ApiClient.TestUser target = api.newUser();

        Response byUser = api.put("/api/v1/users/" + target.id() + "/admin", null, user.token());
        Response self = api.put("/api/v1/users/" + admin.id() + "/admin", null, admin.token());
        Response another = api.put("/api/v1/users/" + otherAdmin.id() + "/admin", null, admin.token());
        Response unknown = api.put("/api/v1/users/987654321/admin", null, admin.token());
        Response notANumber = api.put("/api/v1/users/abc/admin", null, admin.token());

        assertThat(byUser.status()).isEqualTo(403);
        assertThat(byUser.reason()).isEqualTo("ACCESS_DENIED");
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.reason()).isEqualTo("CANNOT_CHANGE_OWN_ROLE");
        assertThat(another.status()).isEqualTo(403);
        assertThat(another.reason()).isEqualTo("CANNOT_CHANGE_ADMIN_ROLE");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.reason()).isEqualTo("USER_NOT_FOUND");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body().path("fieldErrors").findValuesAsString("field")).containsExactly("userId");
        assertThat(api.get("/api/v1/users/me", api.signIn(target.email(), ApiClient.PASSWORD)).data()
                .path("role").asString()).isEqualTo("USER");
    }
}
