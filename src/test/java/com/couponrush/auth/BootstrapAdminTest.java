package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

class BootstrapAdminTest {

    @Test
    void aPublishedAdminPasswordNeverReachesASharedDatabase() {
        DataSourceProperties shared = new DataSourceProperties();
        shared.setUrl("jdbc:postgresql://db:5432/coupons");
        BootstrapAdmin demo = new BootstrapAdmin(
                new BootstrapAdmin.Properties("admin@coupon-rush.dev", "Admin123!", true), null, shared);

        assertThatThrownBy(() -> demo.run(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("embedded database only");
    }
}
