package io.p13n.jobs.privacy;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.Secret;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * How erasure works, read once from {@code privacy.erasure.*}.
 *
 * @param suppressionPeriod how long an erased id's events are dropped at the entrance
 * @param maxSuppressed most ids suppressed at once
 * @param grace how long the offer ledger drops decisions of an erased customer still on their way
 * @param pseudonymizationKey {@code privacy.pseudonymization-key}, null when ids are kept as they
 *     are (it is read where the ids enter, with the erasure requests)
 */
public record ErasureSettings(
        Duration suppressionPeriod, int maxSuppressed, Duration grace, Secret pseudonymizationKey)
        implements Serializable {

    public static ErasureSettings from(EngineConfig config) {
        return new ErasureSettings(
                config.get(EngineOptions.PRIVACY_ERASURE_SUPPRESSION_PERIOD),
                config.get(EngineOptions.PRIVACY_ERASURE_SUPPRESSION_MAX),
                config.get(EngineOptions.PRIVACY_ERASURE_GRACE),
                config.get(EngineOptions.PRIVACY_PSEUDONYMIZATION_KEY).orElse(null));
    }

    /** The documented defaults (what an empty configuration gives), for tests. */
    public static ErasureSettings defaults() {
        return from(
                EngineConfig.fromMap(
                        Map.of(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092"),
                        Map.of()));
    }
}
