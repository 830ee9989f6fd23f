package io.p13n.jobs.testing;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.profile.ProfileSettings;
import java.util.HashMap;
import java.util.Map;

/** Profile settings for tests: the documented defaults with some keys changed, as a user would. */
public final class TestProfiles {
    private TestProfiles() {}

    public static ProfileSettings settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(overrides);
        values.put(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092");
        return ProfileSettings.from(EngineConfig.fromMap(values, Map.of()));
    }
}
