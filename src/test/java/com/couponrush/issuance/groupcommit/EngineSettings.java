package com.couponrush.issuance.groupcommit;

import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The engine's settings as Spring binds them, defaults included, for tests of its parts without a context. */
final class EngineSettings {

    private EngineSettings() {
    }

    /** @param settings names relative to {@code coupon.issuance.group-commit.}, e.g. {@code "batch-timeout" -> "2s"} */
    static GroupCommitProperties with(Map<String, String> settings) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        settings.forEach((name, value) -> source.put("coupon.issuance.group-commit." + name, value));
        return new Binder(source).bindOrCreate("coupon.issuance.group-commit", Bindable.of(GroupCommitProperties.class));
    }

    static GroupCommitProperties defaults() {
        return with(Map.of());
    }
}
