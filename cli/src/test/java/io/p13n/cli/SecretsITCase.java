package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.CliRuns;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Secrets stay secret: the engine runs against a Redis that requires a password, with Kafka SASL
 * and trust-store passwords configured too, and every log line of the run (at INFO, where client
 * configurations are printed), the Flink REST API's job and cluster configuration (what the
 * dashboard shows), and {@code config check} are searched for the secret values.
 */
class SecretsITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    @TempDir Path work;

    @Test
    void noSecretAppearsInLogsTheRestApiOrConfigCheck(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String redisPassword = "redis-secret-" + run;
        String saslPassword = "sasl-secret-" + run;
        String trustPassword = "trust-secret-" + run;
        List<String> secrets = List.of(redisPassword, saslPassword, trustPassword);
        Map<String, String> overrides = new HashMap<>();
        overrides.put(EngineOptions.REDIS_PASSWORD.key(), redisPassword);
        // PLAINTEXT ignores both, but the clients are still handed them (and print their configs).
        overrides.put(
                EngineOptions.KAFKA_SASL_JAAS_CONFIG.key(),
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"engine\" password=\""
                        + saslPassword
                        + "\";");
        overrides.put(EngineOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD.key(), trustPassword);
        Map<String, String> settings =
                TestJobs.engineSettings(SERVICES, run, work.resolve("checkpoints"), overrides);
        EngineConfig config =
                TestJobs.engineConfig(SERVICES, run, work.resolve("checkpoints"), overrides);

        StringBuilder logged = new StringBuilder();
        try (Jedis admin = new Jedis(SERVICES.redis().host(), SERVICES.redis().port());
                CapturedLogs logs = CapturedLogs.start(logged)) {
            admin.configSet("requirepass", redisPassword);
            admin.auth(redisPassword);
            JobClient job = TestJobs.startEngine(config, "secrets-" + run);
            try (Producer<String, byte[]> producer =
                    EventProducers.create(SERVICES.kafka().bootstrapServers(), "s-" + run)) {
                producer.send(
                                new ProducerRecord<>(
                                        config.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                                        "alice",
                                        AvroEventSerializer.encode(
                                                TestEvents.productView(
                                                        "alice", Instant.now().minusSeconds(60)))))
                        .get();
                RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
                TestJobs.awaitTrue(
                        "alice's profile, written with the password",
                        Duration.ofSeconds(90),
                        () -> admin.exists(keys.profile("alice")));

                URI rest = cluster.getRestAddress().get();
                HttpClient http = HttpClient.newHttpClient();
                for (String path :
                        List.of(
                                "/jobs/" + job.getJobID() + "/config",
                                "/jobmanager/config",
                                "/jobs/" + job.getJobID() + "/exceptions",
                                "/jobs/" + job.getJobID())) {
                    HttpResponse<String> response =
                            http.send(
                                    HttpRequest.newBuilder(rest.resolve(path)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(path).isEqualTo(200);
                    for (String secret : secrets) {
                        assertThat(response.body()).as("REST %s", path).doesNotContain(secret);
                    }
                }
            } finally {
                TestJobs.cancel(job);
                admin.configSet("requirepass", "");
            }
        }
        assertThat(logged)
                .as("the run logged its configuration")
                .contains("Defining the job with configuration")
                .as("the Kafka clients printed theirs, masked")
                .contains("sasl.jaas.config = [hidden]");
        for (String secret : secrets) {
            assertThat(logged.toString()).as("logs").doesNotContain(secret);
        }

        Path file = work.resolve("engine.properties");
        Properties properties = new Properties();
        properties.putAll(settings);
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "SecretsITCase");
        }
        String[] check = CliRuns.execute("config", "check", file.toString());
        assertThat(check[0]).as(check[2]).isEqualTo("0");
        for (String secret : secrets) {
            assertThat(check[1] + check[2]).as("config check").doesNotContain(secret);
        }
    }

    /** Every log event at INFO and above, appended to a buffer while open. */
    private static final class CapturedLogs extends AbstractAppender implements AutoCloseable {
        private final StringBuilder out;
        private final Level before;

        private CapturedLogs(StringBuilder out, Level before) {
            super("captured-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY);
            this.out = out;
            this.before = before;
        }

        static CapturedLogs start(StringBuilder out) {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration configuration = context.getConfiguration();
            LoggerConfig root = configuration.getRootLogger();
            CapturedLogs appender = new CapturedLogs(out, root.getLevel());
            appender.start();
            // INFO into the buffer only: the console keeps its WARN threshold.
            configuration.getAppenders().values().stream()
                    .filter(a -> a != appender)
                    .forEach(a -> root.removeAppender(a.getName()));
            root.addAppender(appender, Level.INFO, null);
            for (var a : List.copyOf(configuration.getAppenders().values())) {
                root.addAppender(a, Level.WARN, null);
            }
            root.setLevel(Level.INFO);
            context.updateLoggers();
            return appender;
        }

        @Override
        public void append(LogEvent event) {
            synchronized (out) {
                out.append(event.getMessage().getFormattedMessage()).append('\n');
                if (event.getThrown() != null) {
                    out.append(event.getThrown()).append('\n');
                }
            }
        }

        @Override
        public void close() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            LoggerConfig root = context.getConfiguration().getRootLogger();
            root.removeAppender(getName());
            root.setLevel(before);
            context.updateLoggers();
            stop();
        }
    }
}
