package com.couponrush.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public final class UserDtos {

    private UserDtos() {
    }

    public record SignUpRequest(
            @NotBlank(message = "{validation.required}") @Email(message = "{validation.email}") @Size(max = 255) String email,
            @Password String password,
            @NotBlank(message = "{validation.required}") @Size(max = 50, message = "{validation.size}") String nickname,
            @Size(max = 255, message = "{validation.size}") String address) {
    }

    public record ChangePasswordRequest(
            @NotBlank(message = "{validation.required}") String oldPassword,
            @Password String newPassword) {
    }

    public record UserResponse(long id, String email, String nickname, String address, Role role) {

        static UserResponse of(User user) {
            return new UserResponse(user.getId(), user.getEmail(), user.getNickname(), user.getAddress(),
                    user.getRole());
        }
    }

    public record SignUpResponse(long userId) {
    }
}
