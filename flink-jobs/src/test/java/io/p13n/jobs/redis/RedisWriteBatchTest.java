package io.p13n.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisWriteBatchTest {
    private final RedisWriteBatch.Serializer serializer = new RedisWriteBatch.Serializer();

    @Test
    void shouldSurviveTheCheckpointRoundTrip() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("segment", "ACTIVE");
        fields.put("empty", "");
        String longJson = "[" + "\"x\",".repeat(30_000) + "\"é\"]"; // longer than writeUTF's 64 KiB
        RedisWriteBatch batch =
                new RedisWriteBatch(
                        List.of(
                                new RedisHashWrite("p:{c:1}:profile", fields, 60_000),
                                new RedisValueWrite("p:{c:1}:offers", longJson, 1_000),
                                new RedisListPush("p:{c:1}:decisions", "{\"a\":\"é\"}", 20, 5_000),
                                new RedisDelete("p:{c:2}:offers")));

        RedisWriteBatch copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(batch));

        assertThat(copy).isEqualTo(batch);
    }

    @Test
    void shouldRefuseAnUnknownVersion() throws IOException {
        byte[] bytes = serializer.serialize(new RedisWriteBatch(List.of(new RedisDelete("k"))));
        assertThatThrownBy(() -> serializer.deserialize(99, bytes))
                .hasMessageContaining("version 99");
    }
}
