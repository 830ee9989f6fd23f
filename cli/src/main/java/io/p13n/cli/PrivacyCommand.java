package io.p13n.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p13n.cli.rebuild.RebuildException;
import io.p13n.cli.rebuild.SavepointExport;
import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ErasureRequest;
import io.p13n.serde.AvroEventSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import redis.clients.jedis.UnifiedJedis;

/**
 * Customer data rights: export (Redis and, with the State Processor API, keyed state) and erasure.
 */
@Command(
        name = "privacy",
        mixinStandardHelpOptions = true,
        description =
                "Customer data rights: export what the engine holds about a customer, forget one.",
        subcommands = {PrivacyCommand.Export.class, PrivacyCommand.Erase.class})
final class PrivacyCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The id the engine keeps the customer under: the pseudonym when {@code
     * privacy.pseudonymization-key} is set, else the id itself.
     */
    static String engineId(EngineConfig config, String customerId) {
        return CustomerIds.engineId(customerId, false, CustomerIds.key(config));
    }

    /** The engine configuration from {@code --config}, or the environment alone. */
    static EngineConfig config(Path file) {
        return file == null
                ? EngineConfig.fromMap(Map.of(), System.getenv())
                : EngineConfig.load(file, System.getenv());
    }

    /**
     * Creates the erasure topic when it does not exist: one partition (requests are rare and need
     * no order across customers), kept {@link #ERASURE_RETENTION} (a request names the customer, so
     * it must not outlive its purpose; the engine holds each one in its checkpoints from the moment
     * it is read).
     */
    static boolean createTopicIfMissing(Map<String, Object> clientProps, String topic)
            throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(clientProps)) {
            if (admin.listTopics().names().get().contains(topic)) {
                return false;
            }
            NewTopic created =
                    new NewTopic(topic, Optional.of(1), Optional.empty())
                            .configs(
                                    Map.of(
                                            "retention.ms",
                                            Long.toString(ERASURE_RETENTION.toMillis())));
            try {
                admin.createTopics(List.of(created)).all().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw e;
            }
            return true;
        }
    }

    /** Retention of the erasure-requests topic the CLI creates (and the Docker stack's). */
    static final Duration ERASURE_RETENTION = Duration.ofDays(7);

    @Command(
            name = "erase",
            mixinStandardHelpOptions = true,
            description = {
                "Ask the running engine to forget a customer: an ErasureRequest on kafka.topic.erasures.",
                "Within one checkpoint the engine removes the customer from every keyed state, deletes their Redis keys (profile, recommendations, offers) and writes tombstones to segment-changes and churn-signals; the id stays suppressed for privacy.erasure.suppression-period, so late events and replays do not bring it back.",
                "With --wait, waits until the customer's Redis keys are gone."
            })
    static final class Erase implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CUSTOMER_ID", description = "The customer id.")
        String customerId;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "Engine configuration (.properties); P13N_* environment variables override it. Without it, the environment alone.")
        Path configFile;

        @Option(
                names = "--source",
                defaultValue = "cli",
                description = "Who asked, for the audit trail (default: ${DEFAULT-VALUE}).")
        String source;

        @Option(
                names = "--wait",
                paramLabel = "SECONDS",
                description =
                        "Wait up to this many seconds for the engine to delete the customer's Redis keys.")
        Integer waitSeconds;

        @Override
        public Integer call() throws Exception {
            if (customerId == null || customerId.isBlank()) {
                System.err.println("CUSTOMER_ID must not be empty");
                return 2;
            }
            EngineConfig config;
            try {
                config = config(configFile);
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            String topic = config.get(EngineOptions.KAFKA_TOPIC_ERASURES);
            ErasureRequest request =
                    ErasureRequest.newBuilder()
                            .setRequestId(UUID.randomUUID().toString())
                            .setCustomerId(customerId)
                            .setSource(source)
                            .setRequestedAt(Instant.now())
                            .build();
            Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
            props.put(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS));
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "p13n-privacy-cli");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
            try {
                if (createTopicIfMissing(props, topic)) {
                    System.out.println(
                            "Created topic "
                                    + topic
                                    + " (the engine finds a new one within 30 s).");
                }
            } catch (ExecutionException e) {
                System.err.println(
                        "Cannot create topic " + topic + ": " + e.getCause().getMessage());
                return 1;
            }
            try (KafkaProducer<String, byte[]> producer =
                    new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(
                                new ProducerRecord<>(
                                        topic, customerId, AvroEventSerializer.encode(request)))
                        .get();
            } catch (ExecutionException e) {
                System.err.println(
                        "Cannot publish the erasure request to "
                                + topic
                                + ": "
                                + e.getCause().getMessage());
                return 1;
            }
            System.out.println(
                    "Erasure request "
                            + request.getRequestId()
                            + " published to "
                            + topic
                            + "; the engine applies it within one checkpoint.");
            if (waitSeconds == null) {
                return 0;
            }
            Duration wait = Duration.ofSeconds(waitSeconds);
            RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
            List<String> customerKeys =
                    List.of(
                            keys.profile(engineId(config, customerId)),
                            keys.recommendations(engineId(config, customerId)),
                            keys.activeOffers(engineId(config, customerId)),
                            keys.segmentHistory(engineId(config, customerId)),
                            keys.recentDecisions(engineId(config, customerId)));
            long deadline = System.nanoTime() + wait.toNanos();
            long started = System.nanoTime();
            try (UnifiedJedis redis = PersonalizationJob.redisEndpoint(config).connect()) {
                while (true) {
                    long left = 0;
                    for (String key : customerKeys) {
                        left += redis.exists(key) ? 1 : 0;
                    }
                    if (left == 0) {
                        System.out.printf(
                                "Gone from Redis after %.1f s (%s).%n",
                                (System.nanoTime() - started) / 1e9,
                                String.join(", ", customerKeys));
                        return 0;
                    }
                    if (System.nanoTime() > deadline) {
                        System.err.println(
                                left
                                        + " of the customer's Redis keys still there after "
                                        + wait
                                        + ": is the engine running, and reading "
                                        + topic
                                        + "?");
                        return 1;
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Everything the engine holds about a customer, as JSON, for access and portability requests: what the storefront reads from Redis (profile hash, recommendations, active offers) and, with --from-savepoint, the job's keyed state (profile, session trail, offer caps and anniversaries, offer ledger) read with Flink's State Processor API.",
                "Reading state scans each operator's whole state: an offline tool for a savepoint or retained checkpoint, not a lookup."
            })
    static final class Export implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Parameters(index = "0", paramLabel = "CUSTOMER_ID", description = "The customer id.")
        String customerId;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "Engine configuration (.properties); P13N_* environment variables override it. Without it, the environment alone.")
        Path configFile;

        @Option(
                names = "--from-savepoint",
                paramLabel = "PATH",
                description =
                        "A savepoint or retained checkpoint directory of the job, for its keyed state.")
        String savepoint;

        @Option(
                names = "--output",
                paramLabel = "FILE",
                description = "Write the JSON here instead of standard output.")
        Path output;

        @Override
        public Integer call() throws Exception {
            EngineConfig config;
            try {
                config = config(configFile);
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            ObjectNode root = JSON.createObjectNode();
            root.put("customerId", customerId);
            String id = engineId(config, customerId);
            if (!id.equals(customerId)) {
                root.put("pseudonym", id); // what the engine knows the customer by
            }
            root.put("exportedAt", Instant.now().toString());
            RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
            ObjectNode redis = root.putObject("redis");
            try (UnifiedJedis client = PersonalizationJob.redisEndpoint(config).connect()) {
                Map<String, String> profile = client.hgetAll(keys.profile(id));
                redis.set(
                        "profile",
                        profile.isEmpty() ? null : JSON.valueToTree(new TreeMap<>(profile)));
                redis.set("recommendations", document(client.get(keys.recommendations(id))));
                redis.set("offers", document(client.get(keys.activeOffers(id))));
                redis.set(
                        "segmentHistory", documents(client.lrange(keys.segmentHistory(id), 0, -1)));
                redis.set("decisions", documents(client.lrange(keys.recentDecisions(id), 0, -1)));
            }
            if (savepoint == null) {
                root.put("state", "not read: give --from-savepoint PATH for the job's keyed state");
            } else {
                try {
                    root.set("state", new SavepointExport(config).export(savepoint, id));
                } catch (RebuildException e) {
                    System.err.println(e.getMessage());
                    return 1;
                }
            }
            String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            if (output == null) {
                System.out.println(json);
            } else {
                Files.writeString(output, json + System.lineSeparator());
                System.out.println("Written to " + output);
            }
            return 0;
        }

        private static JsonNode document(String value) throws IOException {
            return value == null ? null : JSON.readTree(value);
        }

        /** A list's entries as stored, newest first; null when there is no list. */
        private static JsonNode documents(List<String> entries) throws IOException {
            if (entries.isEmpty()) {
                return null;
            }
            ArrayNode array = JSON.createArrayNode();
            for (String entry : entries) {
                array.add(JSON.readTree(entry));
            }
            return array;
        }
    }
}
