package com.couponrush.issuance.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;

/** Settings that could not keep the engine's promises are refused at start-up, naming the settings. */
class GroupCommitPropertiesTest {

    @Test
    void theDefaultsOrderTheTimeLimitsSoThatEachFailureIsRecognised() {
        GroupCommitProperties defaults = EngineSettings.defaults();
        assertThat(defaults.lockTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.hangAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.batchTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.answerBound()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aLockTimeoutThatCouldBeTakenForAHungDatabaseIsRefused() {
        assertThatThrownBy(() -> EngineSettings.with(Map.of("lock-timeout", "3s")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("coupon.issuance.group-commit.lock-timeout")
                .hasMessageContaining("coupon.issuance.group-commit.batch-timeout");
    }

    @Test
    void aHangAfterOutsideTheLockAndBatchTimeoutsIsRefused() {
        assertThatThrownBy(() -> EngineSettings.with(Map.of("hang-after", "900ms")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("coupon.issuance.group-commit.hang-after");
        assertThatThrownBy(() -> EngineSettings.with(Map.of("hang-after", "3s")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("coupon.issuance.group-commit.hang-after");
    }

    @Test
    void drainersThatCouldTakeTheWholePoolAreRefusedNamingBothSettings() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setMaximumPoolSize(12);
            assertThatThrownBy(() -> GroupCommitIssuance.refuseSettingsThatBreakPromises(
                    EngineSettings.defaults(), pool))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("coupon.issuance.group-commit.drainers")
                    .hasMessageContaining("spare-drainers")
                    .hasMessageContaining("spring.datasource.hikari.maximum-pool-size");
            pool.setMaximumPoolSize(13);
            GroupCommitIssuance.refuseSettingsThatBreakPromises(EngineSettings.defaults(), pool);
        }
    }
}
