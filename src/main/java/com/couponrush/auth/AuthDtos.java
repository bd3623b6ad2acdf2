package com.couponrush.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

final class AuthDtos {

    private AuthDtos() {
    }

    // no account has a longer email; the bound also keeps the throttle's keys small
    record SignInRequest(@NotBlank(message = "{validation.required}")
                         @Size(max = 255, message = "{validation.size}") String email,
                         @NotBlank(message = "{validation.required}") String password) {
    }

    record SignInResponse(String accessToken) {
    }

    record PingResponse(long userId) {
    }
}
