package com.couponrush.issuance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** Every strategy on the classpath by name, and the one configuration selects. */
@Component
public class IssuanceStrategies {

    private final Map<String, IssuanceStrategy> byName = new TreeMap<>();
    private final IssuanceStrategy active;

    public IssuanceStrategies(List<IssuanceStrategy> strategies, IssuanceProperties properties) {
        strategies.forEach(strategy -> byName.put(strategy.name(), strategy));
        IssuanceStrategy selected = byName.get(properties.strategy());
        if (selected == null) {
            throw new IllegalStateException("Unknown coupon.issuance.strategy '" + properties.strategy()
                    + "'; available: " + byName.keySet());
        }
        if (!selected.safe() && !properties.allowUnsafe()) {
            throw new IllegalStateException("coupon.issuance.strategy '" + selected.name() + "' over-issues under "
                    + "concurrency and exists only to reproduce the seed's anomaly; set "
                    + "coupon.issuance.allow-unsafe=true to start with it anyway");
        }
        this.active = selected;
    }

    public IssuanceStrategy active() {
        return active;
    }

    public IssuanceStrategy get(String name) {
        IssuanceStrategy strategy = byName.get(name);
        if (strategy == null) {
            throw new IllegalArgumentException("No issuance strategy '" + name + "'; available: " + byName.keySet());
        }
        return strategy;
    }

    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(byName.keySet());
    }
}
