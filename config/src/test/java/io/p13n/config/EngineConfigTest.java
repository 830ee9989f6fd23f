package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineConfigTest {
    private static final Map<String, String> NO_ENV = Map.of();
    private static final Map<String, String> MINIMAL =
            Map.of("kafka.bootstrap-servers", "kafka:9092");

    @TempDir Path dir;

    private Path file(String... lines) throws IOException {
        Path file = dir.resolve("engine.properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, String> minimalWith(String... keysAndValues) {
        Map<String, String> values = new HashMap<>(MINIMAL);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    private static ConfigException problemsOf(Map<String, String> values) {
        return catchThrowableOfType(
                ConfigException.class, () -> EngineConfig.fromMap(values, NO_ENV));
    }

    @Nested
    class Precedence {
        @Test
        void defaultsApplyWhenOnlyTheRequiredKeyIsSet() {
            EngineConfig config = EngineConfig.fromMap(MINIMAL, NO_ENV);

            assertThat(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
            assertThat(config.get(EngineOptions.KAFKA_TOPIC_CLICKS)).isEqualTo("clicks");
            assertThat(config.get(EngineOptions.KAFKA_TOPIC_ORDERS)).isEqualTo("orders");
            assertThat(config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS))
                    .isEqualTo("dead-letters");
            assertThat(config.get(EngineOptions.KAFKA_GROUP_ID))
                    .isEqualTo("personalization-engine");
            assertThat(config.get(EngineOptions.KAFKA_STARTING_OFFSETS))
                    .isEqualTo(StartingOffsets.COMMITTED);
            assertThat(config.get(EngineOptions.KAFKA_SECURITY_PROTOCOL)).isEqualTo("PLAINTEXT");
            assertThat(config.get(EngineOptions.KAFKA_SASL_MECHANISM)).isEmpty();
            assertThat(config.get(EngineOptions.KAFKA_SASL_JAAS_CONFIG)).isEmpty();
            assertThat(config.get(EngineOptions.KAFKA_SSL_TRUSTSTORE_LOCATION)).isEmpty();
            assertThat(config.get(EngineOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD)).isEmpty();
            assertThat(config.get(EngineOptions.REDIS_MODE)).isEqualTo(RedisMode.STANDALONE);
            assertThat(config.get(EngineOptions.REDIS_HOST)).isEqualTo("localhost");
            assertThat(config.get(EngineOptions.REDIS_PORT)).isEqualTo(6379);
            assertThat(config.get(EngineOptions.REDIS_CLUSTER_NODES)).isEmpty();
            assertThat(config.get(EngineOptions.REDIS_USER)).isEmpty();
            assertThat(config.get(EngineOptions.REDIS_PASSWORD)).isEmpty();
            assertThat(config.get(EngineOptions.REDIS_TLS)).isFalse();
            assertThat(config.get(EngineOptions.REDIS_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.get(EngineOptions.REDIS_KEY_PREFIX)).isEqualTo("p13n");
            assertThat(config.get(EngineOptions.REDIS_PROFILE_TTL)).isEqualTo(Duration.ofDays(30));
            assertThat(config.get(EngineOptions.REDIS_BATCH_MAX_SIZE)).isEqualTo(500);
            assertThat(config.get(EngineOptions.REDIS_BATCH_MAX_DELAY))
                    .isEqualTo(Duration.ofMillis(200));
            assertThat(config.get(EngineOptions.CHECKPOINT_INTERVAL))
                    .isEqualTo(Duration.ofSeconds(10));
            assertThat(config.get(EngineOptions.CHECKPOINT_DIR))
                    .isEqualTo("file:///tmp/p13n-checkpoints");
            assertThat(config.get(EngineOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.ROCKSDB);
            assertThat(config.get(EngineOptions.STATE_INCREMENTAL_CHECKPOINTS)).isTrue();
            assertThat(config.get(EngineOptions.STATE_CUSTOMER_TTL))
                    .isEqualTo(Duration.ofDays(400));
            assertThat(config.get(EngineOptions.WATERMARK_OUT_OF_ORDERNESS))
                    .isEqualTo(Duration.ofSeconds(5));
            assertThat(config.get(EngineOptions.WATERMARK_IDLE_TIMEOUT))
                    .isEqualTo(Duration.ofSeconds(30));
            assertThat(config.get(EngineOptions.VALIDATION_MAX_FUTURE_SKEW))
                    .isEqualTo(Duration.ofMinutes(5));
            assertThat(config.get(EngineOptions.DEDUP_WINDOW_SIZE)).isEqualTo(32);
            assertThat(config.get(EngineOptions.DEDUP_TTL)).isEqualTo(Duration.ofDays(1));
            assertThat(config.get(EngineOptions.JOB_PARALLELISM)).isEqualTo(2);
            assertThat(config.get(EngineOptions.JOB_NAME)).isEqualTo("personalization-engine");
            assertThat(config.origin(EngineOptions.REDIS_PORT)).isEqualTo("default");
        }

        @Test
        void fileOverridesDefault() throws IOException {
            Path file =
                    file(
                            "kafka.bootstrap-servers=kafka:9092",
                            "redis.port=6380",
                            "job.name=shop-a");

            EngineConfig config = EngineConfig.load(file, NO_ENV);

            assertThat(config.get(EngineOptions.REDIS_PORT)).isEqualTo(6380);
            assertThat(config.get(EngineOptions.JOB_NAME)).isEqualTo("shop-a");
            assertThat(config.origin(EngineOptions.REDIS_PORT)).isEqualTo(file.toString());
        }

        @Test
        void envOverridesFile() throws IOException {
            Path file = file("kafka.bootstrap-servers=kafka:9092", "redis.port=6380");

            EngineConfig config =
                    EngineConfig.load(
                            file,
                            Map.of(
                                    "P13N_REDIS_PORT",
                                    "6381",
                                    "P13N_KAFKA_BOOTSTRAP_SERVERS",
                                    "k2:9093"));

            assertThat(config.get(EngineOptions.REDIS_PORT)).isEqualTo(6381);
            assertThat(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("k2:9093");
            assertThat(config.origin(EngineOptions.REDIS_PORT)).isEqualTo("env P13N_REDIS_PORT");
        }

        @Test
        void envOverridesDefaultWithoutAnyFileEntry() {
            EngineConfig config =
                    EngineConfig.fromMap(MINIMAL, Map.of("P13N_STATE_BACKEND", "hashmap"));

            assertThat(config.get(EngineOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.HASHMAP);
        }

        @Test
        void requiredKeyCanComeFromEnvAlone() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            Map.of(), Map.of("P13N_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

            assertThat(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
        }

        @Test
        void unrelatedP13nEnvVarsAreIgnoredBecauseTheEnvironmentIsShared() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            MINIMAL,
                            Map.of(
                                    "P13N_SOMETHING_ELSE",
                                    "x",
                                    "P13N_REDIS_PROT",
                                    "nonsense",
                                    "PATH",
                                    "/bin"));

            assertThat(config.get(EngineOptions.REDIS_PORT)).isEqualTo(6379);
        }

        @Test
        void kafkaClientPassthroughIsNotReadFromEnv() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            MINIMAL, Map.of("P13N_KAFKA_CLIENT_MAX_POLL_RECORDS", "10"));

            assertThat(config.kafkaClientProperties()).doesNotContainKey("max.poll.records");
        }

        @Test
        void withReplacesKeysAndKeepsTheRest() {
            EngineConfig base =
                    EngineConfig.fromMap(
                            minimalWith("job.name", "a"), Map.of("P13N_REDIS_PORT", "7000"));

            EngineConfig changed = base.with(Map.of("job.parallelism", "8"));

            assertThat(changed.get(EngineOptions.JOB_PARALLELISM)).isEqualTo(8);
            assertThat(changed.get(EngineOptions.JOB_NAME)).isEqualTo("a");
            assertThat(changed.get(EngineOptions.REDIS_PORT)).isEqualTo(7000);
            assertThat(changed.origin(EngineOptions.JOB_PARALLELISM)).isEqualTo("override");
            assertThat(base.get(EngineOptions.JOB_PARALLELISM))
                    .as("original unchanged")
                    .isEqualTo(2);
        }

        @Test
        void withRevalidatesTheWholeConfiguration() {
            EngineConfig base = EngineConfig.fromMap(MINIMAL, NO_ENV);

            assertThatThrownBy(() -> base.with(Map.of("redis.mode", "cluster")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(
                            "redis.cluster.nodes is required when redis.mode = 'cluster'");
            assertThatThrownBy(() -> base.with(Map.of("redis.prot", "1")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("did you mean 'redis.port'?");
        }
    }

    @Nested
    class BadValues {
        @Test
        void restartBackoffMustGrowFromItsInitialValue() {
            ConfigException e =
                    problemsOf(
                            minimalWith(
                                    "job.restart-initial-backoff", "2min",
                                    "job.restart-max-backoff", "30s"));

            assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith(
                            "job.restart-max-backoff = '30s' (from provided values): expected more than job.restart-initial-backoff = '2m'");
        }

        @Test
        void badIntegerFailsWithKeyValueSourceAndExpected() {
            ConfigException e = problemsOf(minimalWith("redis.port", "six"));

            assertThat(e.problems())
                    .containsExactly(
                            "redis.port = 'six' (from provided values): expected an integer between 1 and 65535");
        }

        @Test
        void outOfRangeIntegerFails() {
            ConfigException e =
                    catchThrowableOfType(
                            ConfigException.class,
                            () ->
                                    EngineConfig.fromMap(
                                            MINIMAL, Map.of("P13N_REDIS_PORT", "70000")));

            assertThat(e.getMessage())
                    .contains(
                            "redis.port = '70000' (from env P13N_REDIS_PORT): expected an integer between 1 and"
                                    + " 65535");
        }

        @Test
        void badDurationFailsWithKeyValueAndExpected() throws IOException {
            Path file =
                    file("kafka.bootstrap-servers=kafka:9092", "checkpoint.interval=30 seconds");

            ConfigException e =
                    catchThrowableOfType(
                            ConfigException.class, () -> EngineConfig.load(file, NO_ENV));

            assertThat(e.getMessage())
                    .contains(
                            "checkpoint.interval = '30 seconds' (from "
                                    + file
                                    + "): expected a duration")
                    .contains("500ms, 30s, 5m, 12h, 7d");
        }

        @Test
        void durationBelowItsMinimumFails() {
            ConfigException e = problemsOf(minimalWith("checkpoint.interval", "50ms"));

            assertThat(e.getMessage())
                    .contains("checkpoint.interval = '50ms'")
                    .contains("expected a duration of at least 100ms");
        }

        @Test
        void globalControlShareAndPeriodAreValidatedWithKeyValueAndExpected() {
            ConfigException e =
                    problemsOf(
                            minimalWith(
                                    "offers.global-control.share", "0.7",
                                    "offers.global-control.period", "2h"));

            assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                            "offers.global-control.share = '0.7' (from provided values): expected a"
                                    + " number between 0 and 0.5",
                            "offers.global-control.period = '2h' (from provided values): expected a"
                                    + " duration between 1d and 3650d (written like 500ms, 30s, 5m, 12h, 7d;"
                                    + " a bare number is milliseconds; ISO-8601 such as PT30S also works)");
        }

        @Test
        void globalControlDefaultsToFivePercentForNinetyDaysAndZeroDisablesIt() {
            EngineConfig defaults = EngineConfig.fromMap(MINIMAL, NO_ENV);
            assertThat(defaults.get(EngineOptions.OFFERS_GLOBAL_CONTROL_SHARE)).isEqualTo(0.05);
            assertThat(defaults.get(EngineOptions.OFFERS_GLOBAL_CONTROL_PERIOD))
                    .isEqualTo(Duration.ofDays(90));
            assertThat(
                            EngineConfig.fromMap(
                                            minimalWith("offers.global-control.share", "0"), NO_ENV)
                                    .get(EngineOptions.OFFERS_GLOBAL_CONTROL_SHARE))
                    .isEqualTo(0.0);
        }

        @Test
        void negativeDurationFails() {
            ConfigException e = problemsOf(minimalWith("watermark.out-of-orderness", "-PT5S"));

            assertThat(e.getMessage()).contains("watermark.out-of-orderness = '-PT5S'");
        }

        @Test
        void badEnumFailsAndListsTheChoices() {
            ConfigException e = problemsOf(minimalWith("state.backend", "memory"));

            assertThat(e.problems())
                    .containsExactly(
                            "state.backend = 'memory' (from provided values): expected one of: rocksdb, hashmap");
        }

        @Test
        void enumValuesAreReadCaseInsensitively() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            minimalWith(
                                    "state.backend", "RocksDB",
                                    "kafka.starting-offsets", "LATEST",
                                    "redis.mode", "Standalone",
                                    "kafka.security.protocol", "sasl_ssl"),
                            NO_ENV);

            assertThat(config.get(EngineOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.ROCKSDB);
            assertThat(config.get(EngineOptions.KAFKA_STARTING_OFFSETS))
                    .isEqualTo(StartingOffsets.LATEST);
            assertThat(config.get(EngineOptions.REDIS_MODE)).isEqualTo(RedisMode.STANDALONE);
            assertThat(config.get(EngineOptions.KAFKA_SECURITY_PROTOCOL))
                    .as("normalized to Kafka's spelling")
                    .isEqualTo("SASL_SSL");
        }

        @Test
        void badBooleanFailsRatherThanMeaningFalse() {
            ConfigException e = problemsOf(minimalWith("redis.tls", "yes"));

            assertThat(e.problems())
                    .containsExactly(
                            "redis.tls = 'yes' (from provided values): expected true or false");
        }

        @Test
        void booleansAreCaseInsensitive() {
            EngineConfig config = EngineConfig.fromMap(minimalWith("redis.tls", "TRUE"), NO_ENV);

            assertThat(config.get(EngineOptions.REDIS_TLS)).isTrue();
        }

        @Test
        void badHostPortListFails() {
            ConfigException e = problemsOf(Map.of("kafka.bootstrap-servers", "kafka:9092,kafka"));

            assertThat(e.getMessage())
                    .contains("kafka.bootstrap-servers = 'kafka:9092,kafka'")
                    .contains("expected a comma-separated list of host:port");
        }

        @Test
        void listsAreTrimmedAndEmptyItemsDropped() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            Map.of(
                                    "kafka.bootstrap-servers", " k1:9092 , ,k2:9092,",
                                    "redis.mode", "cluster",
                                    "redis.cluster.nodes", "r1:7000, r2:7001 ,,"),
                            NO_ENV);

            assertThat(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS))
                    .isEqualTo("k1:9092,k2:9092");
            assertThat(config.get(EngineOptions.REDIS_CLUSTER_NODES))
                    .containsExactly("r1:7000", "r2:7001");
        }

        @Test
        void keyPrefixRejectsSpacesAndBraces() {
            assertThat(problemsOf(minimalWith("redis.key-prefix", "p13n{a}")).getMessage())
                    .contains("redis.key-prefix = 'p13n{a}'")
                    .contains("expected a non-empty string without spaces, '{' or '}'");
            assertThat(problemsOf(minimalWith("redis.key-prefix", "my prefix")).problems())
                    .hasSize(1);
        }

        @Test
        void checkpointDirMustBeAUri() {
            assertThat(problemsOf(minimalWith("checkpoint.dir", "/tmp/checkpoints")).getMessage())
                    .contains("checkpoint.dir = '/tmp/checkpoints'")
                    .contains("expected a URI with a scheme");
        }

        @Test
        void invalidTopicNameFails() {
            assertThat(problemsOf(minimalWith("kafka.topic.clicks", "my clicks")).getMessage())
                    .contains("kafka.topic.clicks = 'my clicks'")
                    .contains("expected a Kafka topic name");
        }

        @Test
        void blankOptionalValueMeansNotSet() {
            EngineConfig config =
                    EngineConfig.fromMap(MINIMAL, Map.of("P13N_KAFKA_SASL_MECHANISM", "  "));

            assertThat(config.get(EngineOptions.KAFKA_SASL_MECHANISM)).isEmpty();
        }

        @Test
        void severalProblemsAreReportedTogether() {
            ConfigException e =
                    problemsOf(
                            Map.of(
                                    "redis.port", "0",
                                    "redis.tls", "maybe",
                                    "checkpoint.interval", "soon",
                                    "state.backend", "memory",
                                    "jbo.name", "x"));

            assertThat(e.problems())
                    .hasSize(6)
                    .anySatisfy(p -> assertThat(p).startsWith("jbo.name is not a known option"))
                    .anySatisfy(
                            p -> assertThat(p).startsWith("kafka.bootstrap-servers is required"))
                    .anySatisfy(p -> assertThat(p).startsWith("redis.port = '0'"))
                    .anySatisfy(p -> assertThat(p).startsWith("redis.tls = 'maybe'"))
                    .anySatisfy(p -> assertThat(p).startsWith("checkpoint.interval = 'soon'"))
                    .anySatisfy(p -> assertThat(p).startsWith("state.backend = 'memory'"));
            assertThat(e.getMessage().lines())
                    .as("a header line, then one line per problem")
                    .hasSize(7)
                    .first()
                    .isEqualTo("Invalid configuration (6 problems):");
        }

        @Test
        void aValueWithALineBreakStaysOnOneLine() {
            ConfigException e = problemsOf(minimalWith("redis.port", "63\n79"));

            assertThat(e.getMessage().lines()).hasSize(2);
            assertThat(e.problems().get(0)).contains("'63\\n79'");
        }
    }

    @Nested
    class MissingAndUnknownKeys {
        @Test
        void missingRequiredKeyNamesTheFileKeyAndTheEnvVariable() {
            ConfigException e = problemsOf(Map.of());

            assertThat(e.problems())
                    .containsExactly(
                            "kafka.bootstrap-servers is required but not set (set it in the file or env"
                                    + " P13N_KAFKA_BOOTSTRAP_SERVERS): expected a comma-separated list of host:port,"
                                    + " such as kafka-1:9092,kafka-2:9092");
        }

        @Test
        void unknownKeyInTheFileFailsWithASuggestion() throws IOException {
            Path file = file("kafka.bootstrap-server=kafka:9092");

            ConfigException e =
                    catchThrowableOfType(
                            ConfigException.class, () -> EngineConfig.load(file, NO_ENV));

            assertThat(e.problems())
                    .contains(
                            "kafka.bootstrap-server is not a known option (from "
                                    + file
                                    + "); did you mean 'kafka.bootstrap-servers'?");
        }

        @Test
        void suggestionIgnoresCaseAndSwappedLetters() {
            assertThat(problemsOf(minimalWith("Redis.Prot", "6379")).getMessage())
                    .contains("Redis.Prot is not a known option")
                    .contains("did you mean 'redis.port'?");
        }

        @Test
        void unknownKafkaKeyIsPointedToThePassthrough() {
            assertThat(problemsOf(minimalWith("kafka.max.poll.records", "10")).getMessage())
                    .contains("did you mean 'kafka.client.max.poll.records'?");
        }

        @Test
        void unknownKeyFarFromEveryOptionHasNoSuggestion() {
            String problem = problemsOf(minimalWith("completely.different", "1")).problems().get(0);

            assertThat(problem)
                    .startsWith("completely.different is not a known option (from provided values)")
                    .doesNotContain("did you mean");
        }

        @Test
        void missingFileNamesThePath() {
            Path missing = dir.resolve("nope.properties");

            assertThatThrownBy(() -> EngineConfig.load(missing, NO_ENV))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("configuration file " + missing + " does not exist");
        }

        @Test
        void directoryInsteadOfFileNamesThePath() {
            assertThatThrownBy(() -> EngineConfig.load(dir, NO_ENV))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("configuration file " + dir + " is not a regular file");
        }

        @Test
        void fileInLatin1IsReadAsWritten() throws IOException {
            Path file = dir.resolve("latin1.properties");
            Files.write(
                    file,
                    "kafka.bootstrap-servers=kafka:9092\njob.name=boutique-\u00e9t\u00e9\n"
                            .getBytes(StandardCharsets.ISO_8859_1));

            assertThat(EngineConfig.load(file, NO_ENV).get(EngineOptions.JOB_NAME))
                    .isEqualTo("boutique-\u00e9t\u00e9");
        }
    }

    @Nested
    class RedisCluster {
        @Test
        void clusterModeNeedsNodes() {
            ConfigException e = problemsOf(minimalWith("redis.mode", "cluster"));

            assertThat(e.problems())
                    .containsExactly(
                            "redis.cluster.nodes is required when redis.mode = 'cluster' (from provided values;"
                                    + " set it in the file or env P13N_REDIS_CLUSTER_NODES): expected a"
                                    + " comma-separated list of host:port, such as redis-1:6379,redis-2:6379");
        }

        @Test
        void clusterModeWithNodesIsValid() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            minimalWith("redis.mode", "cluster"),
                            Map.of("P13N_REDIS_CLUSTER_NODES", "redis-1:7000,redis-2:7000"));

            assertThat(config.get(EngineOptions.REDIS_CLUSTER_NODES))
                    .containsExactly("redis-1:7000", "redis-2:7000");
        }

        @Test
        void standaloneModeDoesNotNeedNodes() {
            assertThat(EngineConfig.fromMap(MINIMAL, NO_ENV).get(EngineOptions.REDIS_CLUSTER_NODES))
                    .isEmpty();
        }
    }

    @Nested
    class RedisTrustStore {
        @Test
        void trustStoreWithTlsIsValid() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            minimalWith(
                                    "redis.tls", "true",
                                    "redis.tls.truststore.location", "/etc/p13n/redis.p12"),
                            Map.of("P13N_REDIS_TLS_TRUSTSTORE_PASSWORD", "s3cret"));

            assertThat(config.get(EngineOptions.REDIS_TLS_TRUSTSTORE_LOCATION))
                    .contains("/etc/p13n/redis.p12");
            assertThat(
                            config.get(EngineOptions.REDIS_TLS_TRUSTSTORE_PASSWORD)
                                    .orElseThrow()
                                    .reveal())
                    .isEqualTo("s3cret");
            assertThat(config.describe())
                    .contains("redis.tls.truststore.password = ******")
                    .doesNotContain("s3cret");
        }

        @Test
        void trustStoreWithoutTlsIsRefused() {
            ConfigException e =
                    problemsOf(minimalWith("redis.tls.truststore.location", "/etc/p13n/redis.p12"));

            assertThat(e.problems())
                    .containsExactly(
                            "redis.tls.truststore.location is set (from provided values) but"
                                    + " redis.tls = 'false': expected redis.tls=true, or no trust store");
        }

        @Test
        void trustStorePasswordWithoutTrustStoreIsRefusedWithoutShowingIt() {
            ConfigException e =
                    problemsOf(
                            minimalWith(
                                    "redis.tls",
                                    "true",
                                    "redis.tls.truststore.password",
                                    "s3cret"));

            assertThat(e.problems())
                    .containsExactly(
                            "redis.tls.truststore.password is set (from provided values) without"
                                    + " redis.tls.truststore.location: expected the trust store it opens");
            assertThat(e.getMessage()).doesNotContain("s3cret");
        }
    }

    @Nested
    class Secrets {
        private static final String JAAS =
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"engine\" password=\"hunter2\";";

        @Test
        void secretValuesAreMaskedInErrors() {
            // Missing the trailing ';' that Kafka requires.
            String badJaas = JAAS.substring(0, JAAS.length() - 1);

            ConfigException e =
                    catchThrowableOfType(
                            ConfigException.class,
                            () ->
                                    EngineConfig.fromMap(
                                            minimalWith("redis.port", "x"),
                                            Map.of("P13N_KAFKA_SASL_JAAS_CONFIG", badJaas)));

            assertThat(e.getMessage())
                    .contains(
                            "kafka.sasl.jaas-config = '******' (from env P13N_KAFKA_SASL_JAAS_CONFIG)")
                    .contains("ending with ';'")
                    .doesNotContain("hunter2");
            assertThat(e.problems()).noneMatch(p -> p.contains("hunter2"));
        }

        @Test
        void secretValuesAreMaskedInDescribe() {
            EngineConfig config =
                    EngineConfig.fromMap(
                            minimalWith(
                                    "kafka.sasl.jaas-config",
                                    JAAS,
                                    "kafka.client.ssl.key.password",
                                    "k3y"),
                            Map.of("P13N_REDIS_PASSWORD", "s3cret"));

            String described = config.describe();

            assertThat(described)
                    .contains("kafka.sasl.jaas-config = ******")
                    .contains("redis.password = ******")
                    .contains("kafka.ssl.truststore.password = (not set)")
                    .contains("kafka.client.ssl.key.password = ******")
                    .doesNotContain("hunter2")
                    .doesNotContain("s3cret")
                    .doesNotContain("k3y");
            assertThat(config.toString()).isEqualTo(described);
        }

        @Test
        void secretsAreAvailableTypedForTheClientsThatNeedThem() {
            EngineConfig config =
                    EngineConfig.fromMap(MINIMAL, Map.of("P13N_REDIS_PASSWORD", "s3cret "));

            Optional<Secret> password = config.get(EngineOptions.REDIS_PASSWORD);
            assertThat(password)
                    .hasValueSatisfying(p -> assertThat(p.reveal()).isEqualTo("s3cret "));
            assertThat(password.get()).hasToString("******");
        }

        @Test
        void passthroughValuesThatLookLikeCredentialsAreMaskedInErrors() {
            ConfigException e = problemsOf(minimalWith("kafka.client.sasl.jaas.config", JAAS));

            assertThat(e.getMessage())
                    .contains("kafka.client.sasl.jaas.config = '******'")
                    .doesNotContain("hunter2");
        }
    }

    @Nested
    class KafkaClientProperties {
        @Test
        void securityProtocolIsAlwaysPresent() {
            assertThat(EngineConfig.fromMap(MINIMAL, NO_ENV).kafkaClientProperties())
                    .containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
        }

        @Test
        void securityOptionsAreMappedToKafkaKeys() {
            String jaas =
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                            + " password=\"p\";";
            EngineConfig config =
                    EngineConfig.fromMap(
                            minimalWith(
                                    "kafka.security.protocol", "SASL_SSL",
                                    "kafka.sasl.mechanism", "PLAIN",
                                    "kafka.ssl.truststore.location", "/etc/p13n/truststore.jks"),
                            Map.of(
                                    "P13N_KAFKA_SASL_JAAS_CONFIG",
                                    jaas,
                                    "P13N_KAFKA_SSL_TRUSTSTORE_PASSWORD",
                                    "changeit"));

            assertThat(config.kafkaClientProperties())
                    .containsExactly(
                            Map.entry("security.protocol", "SASL_SSL"),
                            Map.entry("sasl.mechanism", "PLAIN"),
                            Map.entry("sasl.jaas.config", jaas),
                            Map.entry("ssl.truststore.location", "/etc/p13n/truststore.jks"),
                            Map.entry("ssl.truststore.password", "changeit"));
        }

        @Test
        void kafkaClientKeysArePassedThroughWithoutThePrefix() throws IOException {
            Path file =
                    file(
                            "kafka.bootstrap-servers=kafka:9092",
                            "kafka.client.max.poll.records=1000",
                            "kafka.client.client.dns.lookup=use_all_dns_ips");

            EngineConfig config = EngineConfig.load(file, NO_ENV);

            assertThat(config.kafkaClientProperties())
                    .containsEntry("max.poll.records", "1000")
                    .containsEntry("client.dns.lookup", "use_all_dns_ips")
                    .containsEntry("security.protocol", "PLAINTEXT")
                    .hasSize(3);
            assertThat(config.describe()).contains("kafka.client.max.poll.records = 1000");
        }

        @Test
        void passthroughCannotBypassATypedOption() {
            ConfigException e = problemsOf(minimalWith("kafka.client.security.protocol", "SSL"));

            assertThat(e.problems())
                    .containsExactly(
                            "kafka.client.security.protocol = 'SSL' (from provided values): expected"
                                    + " kafka.security.protocol instead, which sets security.protocol with"
                                    + " validation");
        }

        @Test
        void passthroughNeedsAKeyAfterThePrefix() {
            assertThat(problemsOf(minimalWith("kafka.client.", "x")).getMessage())
                    .contains("kafka.client. = 'x'");
        }

        @Test
        void theMapCannotBeModified() {
            Map<String, String> properties =
                    EngineConfig.fromMap(MINIMAL, NO_ENV).kafkaClientProperties();

            assertThatThrownBy(() -> properties.put("x", "y"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void describeListsEveryOptionOnceInOrder() {
        String described = EngineConfig.fromMap(MINIMAL, NO_ENV).describe();

        List<String> lines = described.lines().toList();
        assertThat(lines).hasSize(EngineOptions.ALL.size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).startsWith(EngineOptions.ALL.get(i).key() + " = ");
        }
        assertThat(described)
                .contains("redis.profile-ttl = 30d")
                .contains("redis.batch.max-delay = 200ms")
                .contains("state.backend = rocksdb")
                .contains("redis.cluster.nodes = (not set)");
    }

    @Test
    void describeOutputCanBeReadBackWhenNothingIsSecretOrUnset() {
        EngineConfig config =
                EngineConfig.fromMap(
                        minimalWith("checkpoint.interval", "90000", "dedup.ttl", "PT36H"), NO_ENV);
        Map<String, String> readBack = new HashMap<>();
        config.describe()
                .lines()
                .filter(line -> !line.endsWith("(not set)"))
                .forEach(line -> readBack.put(line.split(" = ", 2)[0], line.split(" = ", 2)[1]));

        EngineConfig again = EngineConfig.fromMap(readBack, NO_ENV);

        assertThat(again.describe()).isEqualTo(config.describe());
        assertThat(readBack)
                .containsEntry("checkpoint.interval", "90s")
                .containsEntry("dedup.ttl", "36h");
    }

    @Test
    void everyDeclaredOptionHasAValue() {
        EngineConfig config = EngineConfig.fromMap(MINIMAL, NO_ENV);

        for (ConfigOption<?> option : EngineOptions.ALL) {
            assertThat((Object) config.get(option)).as(option.key()).isNotNull();
        }
    }
}
