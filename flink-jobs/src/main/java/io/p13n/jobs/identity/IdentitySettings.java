package io.p13n.jobs.identity;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.IdentitySurvivor;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The identity-merge rules, read once from the configuration (README, Identity merge): which id
 * survives, the ids never merged and the sources trusted to merge (both lower case, compared
 * ignoring case), and the cap on ids merged into one customer.
 */
public record IdentitySettings(
        IdentitySurvivor survivor,
        List<String> junkIds,
        List<String> trustedSources,
        int maxAnonymousIds)
        implements Serializable {

    public IdentitySettings {
        if (survivor == null) {
            throw new IllegalArgumentException("survivor must be set");
        }
        if (trustedSources.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted source is needed");
        }
        if (maxAnonymousIds < 1) {
            throw new IllegalArgumentException(
                    "maxAnonymousIds must be >= 1, was " + maxAnonymousIds);
        }
        junkIds = lower(junkIds);
        trustedSources = lower(trustedSources);
    }

    public static IdentitySettings from(EngineConfig config) {
        return new IdentitySettings(
                config.get(EngineOptions.IDENTITY_SURVIVING_ID),
                config.get(EngineOptions.IDENTITY_JUNK_IDS),
                config.get(EngineOptions.IDENTITY_TRUSTED_SOURCES),
                config.get(EngineOptions.IDENTITY_MAX_ANONYMOUS_IDS));
    }

    /** The documented defaults (what an empty configuration gives), for tests. */
    public static IdentitySettings defaults() {
        return from(
                EngineConfig.fromMap(
                        java.util.Map.of(
                                EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092"),
                        java.util.Map.of()));
    }

    /** Whether {@code id} is a placeholder that must never be merged. */
    public boolean isJunk(String id) {
        return junkIds.contains(id.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether identifications from {@code source} may merge. */
    public boolean trusts(String source) {
        return trustedSources.contains(source.trim().toLowerCase(Locale.ROOT));
    }

    private static List<String> lower(List<String> items) {
        return items.stream().map(i -> i.trim().toLowerCase(Locale.ROOT)).toList();
    }
}
