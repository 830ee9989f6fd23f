package io.p13n.cli;

import static io.p13n.cli.testing.CliRuns.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The launcher's commands: help everywhere, and a bad configuration stops before anything runs. */
class PersonalizeCliTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "demo",
                "run",
                "generate",
                "replay",
                "show",
                "show customer",
                "show profile",
                "show profiles",
                "show dead-letters",
                "config",
                "config check",
                "churn",
                "churn fit",
                "campaign",
                "campaign create",
                "campaign list",
                "campaign pause",
                "campaign resume",
                "campaign end",
                "campaign stats",
                "bench",
                "redis",
                "redis rebuild"
            })
    void shouldPrintHelpForEveryCommand(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");

        String[] result = execute(args);

        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1])
                .contains("Usage: personalize" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void showDeadLettersWithConfigShouldReadTheEnginesTopicAsTheEngineConnects(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(
                file,
                "kafka.bootstrap-servers=broker-a:9093\n"
                        + "kafka.topic.dead-letters=shop-dead-letters\n"
                        + "kafka.security.protocol=SASL_SSL\n"
                        + "kafka.sasl.mechanism=SCRAM-SHA-512\n"
                        + "kafka.client.request.timeout.ms=5000\n");
        ShowCommand.DeadLetters show = new ShowCommand.DeadLetters();
        new CommandLine(show).parseArgs("--config", file.toString());

        assertThat(show.kafka.bootstrapServers()).isEqualTo("broker-a:9093");
        assertThat(show.kafka.topic()).isEqualTo("shop-dead-letters");
        assertThat(show.kafka.clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("request.timeout.ms", "5000");

        ShowCommand.DeadLetters plain = new ShowCommand.DeadLetters();
        new CommandLine(plain).parseArgs("--bootstrap-servers", "localhost:1");
        assertThat(plain.kafka.topic()).isEqualTo("dead-letters");
        assertThat(plain.kafka.clientProperties()).isEmpty();
    }

    @Test
    void showDeadLettersShouldRefuseConfigTogetherWithTheCommandLinesKafka(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(file, "kafka.bootstrap-servers=localhost:1\n");

        String[] mixed =
                execute("show", "dead-letters", "--config", file.toString(), "--topic", "x");
        String[] neither = execute("show", "dead-letters");

        assertThat(mixed[0]).isEqualTo("2");
        assertThat(mixed[2]).contains("leave out --bootstrap-servers and --topic");
        assertThat(neither[0]).isEqualTo("2");
        assertThat(neither[2]).contains("Missing --bootstrap-servers (or --config FILE)");
    }

    @Test
    void shouldRefuseToRunWithABadConfigurationNamingKeyValueAndExpectation(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(
                file,
                "kafka.bootstrap-servers=localhost:9092\nredis.port=sixty\nredis.password=hunter2\nredis.batch.max-delay=soon\n");

        String[] result = execute("run", "--config", file.toString());

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2])
                .contains("redis.port", "'sixty'", "between 1 and 65535")
                .contains("redis.batch.max-delay", "'soon'", "duration")
                .doesNotContain("hunter2");
        assertThat(result[1]).doesNotContain("Flink dashboard");
    }

    @Test
    void shouldReportAMissingRequiredKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(file, "redis.port=6379\n");

        String[] result = execute("config", "check", file.toString());

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2])
                .contains("kafka.bootstrap-servers", "required", "P13N_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldAcceptTheShippedExampleConfiguration(@TempDir Path dir) throws Exception {
        String[] example = execute("config", "example");
        Path file = dir.resolve("engine.properties");
        Files.writeString(file, example[1]);

        String[] result = execute("config", "check", file.toString());

        assertThat(result[0]).as(result[2]).isEqualTo("0");
        assertThat(result[1]).contains("OK");
    }

    @Test
    void shouldKeepTheReadmeConfigurationReferenceInSync() throws Exception {
        // Surefire runs in the module directory; the README is at the repository root.
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(readme).contains(io.p13n.config.ConfigDocs.markdownTable().strip());
        for (io.p13n.config.ConfigOption<?> option : io.p13n.config.EngineOptions.ALL) {
            assertThat(readme).contains("`" + option.key() + "`");
        }
    }
}
