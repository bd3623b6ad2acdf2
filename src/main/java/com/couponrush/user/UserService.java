package com.couponrush.user;

import com.couponrush.web.ApiException;
import com.couponrush.web.ErrorCode;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts. Hashing and checking a password (BCrypt, slow on purpose) happen outside every transaction, between
 * the short ones that read and write the account: a transaction holds a pool connection for as long as it runs,
 * and a burst of sign-ins or sign-ups would otherwise hold the pool the issuance engine needs for the hashing
 * time. So the methods that hash are not {@code @Transactional}; each statement runs in the repository's own
 * transaction ({@code PasswordHashingIT}).
 */
@Service
public class UserService {

    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;

    public UserService(UserRepository users, PasswordEncoder passwordEncoder, Clock clock) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    public User signUp(UserDtos.SignUpRequest request) {
        return register(request.email(), request.password(), request.nickname(), request.address(), Role.USER);
    }

    /** A taken address is refused before hashing; two sign-ups racing for one address meet the unique index. */
    public User register(String email, String rawPassword, String nickname, String address, Role role) {
        String normalized = normalizeEmail(email);
        if (users.existsByEmail(normalized)) {
            throw new ApiException(ErrorCode.EMAIL_ALREADY_EXISTS);
        }
        String hash = passwordEncoder.encode(rawPassword);
        try {
            return users.saveAndFlush(new User(normalized, hash, nickname, address, role));
        } catch (DataIntegrityViolationException raceOnUniqueEmail) {
            throw new ApiException(ErrorCode.EMAIL_ALREADY_EXISTS);
        }
    }

    /** Returns the account only when the password matches; same answer for unknown email and wrong password. */
    public Optional<User> authenticate(String email, String rawPassword) {
        return users.findByEmail(normalizeEmail(email))
                .filter(user -> passwordEncoder.matches(rawPassword, user.getPassword()));
    }

    /**
     * The new hash replaces the one the old password was checked against, and only that one: of two changes
     * checked against the same password, the second finds it replaced and hears {@code WRONG_PASSWORD}.
     */
    public void changePassword(long userId, UserDtos.ChangePasswordRequest request) {
        User user = get(userId);
        if (!passwordEncoder.matches(request.oldPassword(), user.getPassword())) {
            throw new ApiException(ErrorCode.WRONG_PASSWORD);
        }
        if (request.oldPassword().equals(request.newPassword())) {
            throw new ApiException(ErrorCode.SAME_PASSWORD);
        }
        String newHash = passwordEncoder.encode(request.newPassword());
        if (users.replacePassword(userId, user.getPassword(), newHash, LocalDateTime.now(clock)) == 0) {
            throw new ApiException(ErrorCode.WRONG_PASSWORD);
        }
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
