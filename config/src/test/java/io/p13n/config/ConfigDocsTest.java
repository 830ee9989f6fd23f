package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {
    private final String table = ConfigDocs.markdownTable();
    private final List<String> lines = table.lines().toList();

    @Test
    void listsEveryOptionInAllWithItsEnvName() {
        for (ConfigOption<?> option : EngineOptions.ALL) {
            assertThat(lines)
                    .as(option.key())
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .startsWith(
                                                    "| `"
                                                            + option.key()
                                                            + "` | `"
                                                            + option.envName()
                                                            + "` |"));
        }
    }

    @Test
    void hasAHeaderOneRowPerOptionAndOneForThePassthrough() {
        assertThat(lines.get(0)).isEqualTo("| key | env | default | description |");
        assertThat(lines).hasSize(2 + EngineOptions.ALL.size() + 1);
        assertThat(lines.get(lines.size() - 1)).startsWith("| `kafka.client.<x>` | file only |");
    }

    @Test
    void everyRowHasFourCells() {
        for (String line : lines) {
            String unescaped = line.replace("\\|", "");
            assertThat(unescaped.chars().filter(c -> c == '|').count()).as(line).isEqualTo(5);
        }
    }

    @Test
    void showsDefaultsRequiredAndUnsetValues() {
        assertThat(table)
                .contains(
                        "| `kafka.bootstrap-servers` | `P13N_KAFKA_BOOTSTRAP_SERVERS` | **required** |")
                .contains("| `redis.port` | `P13N_REDIS_PORT` | `6379` |")
                .contains("| `redis.password` | `P13N_REDIS_PASSWORD` | (not set) |")
                .contains("Accepts an integer between 1 and 65535.");
    }
}
