package com.couponrush.user;

import com.couponrush.web.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Users")
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final UserService userService;

    UserController(UserService userService) {
        this.userService = userService;
    }

    @Operation(summary = "The signed-in user")
    @GetMapping("/me")
    ApiResponse<UserDtos.UserResponse> me(@AuthenticationPrincipal AuthUser authUser) {
        return ApiResponse.ok(UserDtos.UserResponse.of(userService.get(authUser.id())));
    }

    @Operation(summary = "Change own password (old and new; new must differ)")
    @PutMapping
    ApiResponse<Void> changePassword(@AuthenticationPrincipal AuthUser authUser,
                                     @Valid @RequestBody UserDtos.ChangePasswordRequest request) {
        userService.changePassword(authUser.id(), request);
        return ApiResponse.ok();
    }

    @Operation(summary = "Make a user an ADMIN (ADMIN only; not yourself, not another admin)")
    @PutMapping("/{userId}/admin")
    ApiResponse<Void> grantAdmin(@AuthenticationPrincipal AuthUser authUser, @PathVariable long userId) {
        userService.grantAdmin(authUser, userId);
        return ApiResponse.ok();
    }
}
