package com.couponrush.auth;

import com.couponrush.user.AuthUser;
import com.couponrush.user.UserDtos;
import com.couponrush.user.UserService;
import com.couponrush.web.ApiException;
import com.couponrush.web.ApiResponse;
import com.couponrush.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
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
    private final AuthThrottle throttle;

    AuthController(UserService userService, TokenService tokenService, AuthThrottle throttle) {
        this.userService = userService;
        this.tokenService = tokenService;
        this.throttle = throttle;
    }

    @Operation(summary = "Sign up (password: 8+ chars with upper, lower, digit and one of !@#$%^&*)")
    @PostMapping("/signup")
    ApiResponse<UserDtos.SignUpResponse> signUp(@Valid @RequestBody UserDtos.SignUpRequest request,
                                                HttpServletRequest http) {
        throttle.signUp(http.getRemoteAddr());
        return ApiResponse.ok(new UserDtos.SignUpResponse(userService.signUp(request).getId()));
    }

    @Operation(summary = "Sign in; data.accessToken is the Authorization header value (\"Bearer ...\")")
    @PostMapping("/signin")
    ApiResponse<AuthDtos.SignInResponse> signIn(@Valid @RequestBody AuthDtos.SignInRequest request,
                                                HttpServletRequest http) {
        return throttle.signIn(request.email(), http.getRemoteAddr(),
                        () -> userService.authenticate(request.email(), request.password()))
                .map(user -> ApiResponse.ok(new AuthDtos.SignInResponse(tokenService.issueBearer(user))))
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_CREDENTIALS));
    }

    /** The load test's baseline: the same authentication as issuance, no database work at all. */
    @Operation(summary = "The caller's id, from the token alone (no database)")
    @GetMapping("/ping")
    ApiResponse<AuthDtos.PingResponse> ping(@AuthenticationPrincipal AuthUser caller) {
        return ApiResponse.ok(new AuthDtos.PingResponse(caller.id()));
    }
}
