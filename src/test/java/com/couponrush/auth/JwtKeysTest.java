package com.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

class JwtKeysTest {

    @Test
    void theEmbeddedDefaultGeneratesAKeyWhenNoneIsConfigured() {
        assertThat(JwtKeys.signingKey(new JwtProperties(null, null), dataSource("jdbc:h2:file:./data/x"))
                .getEncoded()).hasSize(32);
    }

    @Test
    void aRealDatabaseRefusesToStartWithoutAConfiguredKey() {
        assertThatThrownBy(() -> JwtKeys.signingKey(new JwtProperties("", null),
                dataSource("jdbc:postgresql://127.0.0.1/coupons")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("APP_JWT_SECRET");
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> JwtKeys.signingKey(new JwtProperties("too-short", null),
                dataSource("jdbc:mariadb://127.0.0.1/coupons")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void aConfiguredKeyIsUsedAsIs() {
        String secret = "0123456789abcdef0123456789abcdef";
        assertThat(JwtKeys.signingKey(new JwtProperties(secret, null), dataSource("jdbc:postgresql://db/x"))
                .getEncoded()).isEqualTo(secret.getBytes());
    }

    private static DataSourceProperties dataSource(String url) {
        DataSourceProperties properties = new DataSourceProperties();
        properties.setUrl(url);
        return properties;
    }
}
