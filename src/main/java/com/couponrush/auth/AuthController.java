package com.couponrush.auth;

import com.couponrush.user.AuthUser;
import com.couponrush.user.UserDtos;
import com.couponrush.user.UserService;
import com.couponrush.web.ApiException;
import com.couponrush.web.ApiResponse;
import com.couponrush.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Auth")
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final UserService userService;
    private final TokenService tokenService;

    AuthController(UserService userService, TokenService tokenService) {
        this.userService = userService;
        this.tokenService = tokenService;
    }

    @Operation(summary = "Sign up (password: 8+ chars with upper, lower, digit and one of !@#$%^&*)")
    @PostMapping("/signup")
    ApiResponse<UserDtos.SignUpResponse> signUp(@Valid @RequestBody UserDtos.SignUpRequest request) {
        return ApiResponse.ok(new UserDtos.SignUpResponse(userService.signUp(request).getId()));
    }

    @Operation(summary = "Sign in; data.accessToken is the Authorization header value (\"Bearer ...\")")
    @PostMapping("/signin")
    ApiResponse<AuthDtos.SignInResponse> signIn(@Valid @RequestBody AuthDtos.SignInRequest request) {
        return userService.authenticate(request.email(), request.password())
                .map(user -> ApiResponse.ok(new AuthDtos.SignInResponse(tokenService.issueBearer(user))))
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_CREDENTIALS));
    }

    /**
     * Verifies the token and touches nothing else: the HTTP-plus-JWT ceiling that the load-test benchmark
     * compares issuance throughput against.
     */
    @Operation(summary = "The caller's id, straight from the token (no database access)")
    @GetMapping("/ping")
    ApiResponse<AuthDtos.PingResponse> ping(@AuthenticationPrincipal AuthUser authUser) {
        return ApiResponse.ok(new AuthDtos.PingResponse(authUser.id()));
    }
}
