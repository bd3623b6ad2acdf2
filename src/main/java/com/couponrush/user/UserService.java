package com.couponrush.user;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class UserService {

    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;

    public UserService(UserRepository users, PasswordEncoder passwordEncoder) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
    }

    @Transactional
    public User signUp(UserDtos.SignUpRequest request) {
        return register(request.email(), request.password(), request.nickname(), request.address(), Role.USER);
    }

    @Transactional
    public User register(String email, String rawPassword, String nickname, String address, Role role) {
        String normalized = normalizeEmail(email);
        if (users.existsByEmail(normalized)) {
            throw new ApiException(ErrorCode.EMAIL_ALREADY_EXISTS);
        }
        try {
            return users.saveAndFlush(new User(normalized, passwordEncoder.encode(rawPassword), nickname, address, role));
        } catch (DataIntegrityViolationException raceOnUniqueEmail) {
            throw new ApiException(ErrorCode.EMAIL_ALREADY_EXISTS);
        }
    }

    /** Returns the account only when the password matches; same answer for unknown email and wrong password. */
    @Transactional(readOnly = true)
    public Optional<User> authenticate(String email, String rawPassword) {
        return users.findByEmail(normalizeEmail(email))
                .filter(user -> passwordEncoder.matches(rawPassword, user.getPassword()));
    }

    @Transactional
    public void changePassword(long userId, UserDtos.ChangePasswordRequest request) {
        User user = get(userId);
        if (!passwordEncoder.matches(request.oldPassword(), user.getPassword())) {
            throw new ApiException(ErrorCode.WRONG_PASSWORD);
        }
        if (request.oldPassword().equals(request.newPassword())) {
            throw new ApiException(ErrorCode.SAME_PASSWORD);
        }
        user.changePassword(passwordEncoder.encode(request.newPassword()));
    }

    @Transactional
    public void grantAdmin(AuthUser actor, long targetUserId) {
        if (actor.id() == targetUserId) {
            throw new ApiException(ErrorCode.CANNOT_CHANGE_OWN_ROLE);
        }
        User target = get(targetUserId);
        if (target.getRole() == Role.ADMIN) {
            throw new ApiException(ErrorCode.CANNOT_CHANGE_ADMIN_ROLE);
        }
        target.promoteToAdmin();
    }

    @Transactional(readOnly = true)
    public User get(long userId) {
        return users.findById(userId).orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND));
    }

    @Transactional(readOnly = true)
    public Optional<User> findByEmail(String email) {
        return users.findByEmail(normalizeEmail(email));
    }

    @Transactional(readOnly = true)
    public boolean hasAdmin() {
        return users.existsByRole(Role.ADMIN);
    }

    /** The form an email is stored and looked up in: addresses differing only in case are one account. */
    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
