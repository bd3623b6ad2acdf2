package com.couponrush.auth;

import jakarta.validation.constraints.NotBlank;

final class AuthDtos {

    private AuthDtos() {
    }

    record SignInRequest(@NotBlank(message = "{validation.required}") String email,
                         @NotBlank(message = "{validation.required}") String password) {
    }

    record SignInResponse(String accessToken) {
    }

    record PingResponse(long userId) {
    }
}
