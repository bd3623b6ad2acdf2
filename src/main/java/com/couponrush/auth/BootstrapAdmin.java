package com.couponrush.auth;

import com.couponrush.user.Role;
import com.couponrush.user.UserService;
import com.couponrush.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Nobody can grant the first ADMIN through the API, so it comes from configuration and is created at start-up. */
@Component
@Order(0)
class BootstrapAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final Properties properties;
    private final UserService userService;

    BootstrapAdmin(Properties properties, UserService userService) {
        this.properties = properties;
        this.userService = userService;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.email() == null || properties.email().isBlank()) {
            return;
        }
        if (properties.password() == null || properties.password().isBlank()) {
            throw new IllegalStateException("app.bootstrap-admin.password must be set with app.bootstrap-admin.email");
        }
        if (userService.findByEmail(properties.email()).isPresent()) {
            return;
        }
        try {
            userService.register(properties.email(), properties.password(), "admin", null, Role.ADMIN);
            log.info("Created bootstrap admin {}", properties.email());
        } catch (ApiException alreadyCreatedByAnotherInstance) {
            log.info("Bootstrap admin {} already exists", properties.email());
        }
    }

    /** env {@code APP_BOOTSTRAP_ADMIN_EMAIL}, {@code APP_BOOTSTRAP_ADMIN_PASSWORD} */
    @ConfigurationProperties("app.bootstrap-admin")
    record Properties(String email, String password) {
    }
}
