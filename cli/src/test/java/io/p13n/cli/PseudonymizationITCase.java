package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.CliRuns;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.OrderStatus;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;

/**
 * Pseudonymized ids on real Kafka, Redis and Flink: with {@code privacy.pseudonymization-key} set,
 * the customer's profile is under the pseudonym a storefront computes with the JDK alone, no Redis
 * key or value and no output-topic record holds the raw id, {@code show customer} and {@code show
 * profile} given the raw id show the pseudonym's profile (and {@code --pseudonymized} takes an id
 * as is), and {@code privacy erase} given the raw id finds and forgets the pseudonymized customer.
 */
class PseudonymizationITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final String KEY = "pseudonymization-key-for-the-test-0123456789";

    @TempDir Path work;

    @Test
    void stateRedisAndTopicsHoldOnlyThePseudonym() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String customer = "raw-customer-" + run;
        Map<String, String> overrides =
                Map.of(EngineOptions.PRIVACY_PSEUDONYMIZATION_KEY.key(), KEY);
        Map<String, String> settings =
                TestJobs.engineSettings(SERVICES, run, work.resolve("checkpoints"), overrides);
        EngineConfig config =
                TestJobs.engineConfig(SERVICES, run, work.resolve("checkpoints"), overrides);
        SERVICES.kafka().createTopics(1, config.get(EngineOptions.KAFKA_TOPIC_ERASURES));
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        String pseudonym = storefrontPseudonym(customer);
        Instant at = Instant.now().minus(Duration.ofHours(1));

        JobClient job = TestJobs.startEngine(config, "pseudonyms-" + run);
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "ps-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            producer.send(
                            new ProducerRecord<>(
                                    config.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                                    customer,
                                    AvroEventSerializer.encode(
                                            TestEvents.productView(customer, at))))
                    .get();
            producer.send(
                            new ProducerRecord<>(
                                    config.get(EngineOptions.KAFKA_TOPIC_ORDERS),
                                    customer,
                                    AvroEventSerializer.encode(
                                            TestEvents.order(
                                                            customer,
                                                            OrderStatus.PLACED,
                                                            at.plusSeconds(60),
                                                            40)
                                                    .build())))
                    .get();
            TestJobs.awaitTrue(
                    "the order in the pseudonym's profile",
                    Duration.ofSeconds(90),
                    () -> "1".equals(redis.hget(keys.profile(pseudonym), "orders")));
            assertThat(redis.hget(keys.profile(pseudonym), "customerId")).isEqualTo(pseudonym);

            for (String key :
                    redis.scan(
                                    ScanParams.SCAN_POINTER_START,
                                    new ScanParams()
                                            .match(
                                                    config.get(EngineOptions.REDIS_KEY_PREFIX)
                                                            + ":*")
                                            .count(1000))
                            .getResult()) {
                assertThat(key).doesNotContain(customer);
                String value =
                        switch (redis.type(key)) {
                            case "hash" -> redis.hgetAll(key).toString();
                            case "list" -> redis.lrange(key, 0, -1).toString();
                            default -> String.valueOf(redis.get(key));
                        };
                assertThat(value).as(key).doesNotContain(customer);
            }
            TestJobs.awaitTrue(
                    "the new customer's segment change",
                    Duration.ofSeconds(60),
                    () ->
                            !TopicReader.readAll(
                                            SERVICES.kafka().bootstrapServers(),
                                            config.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES))
                                    .isEmpty());
            for (ConsumerRecord<String, byte[]> r :
                    TopicReader.readAll(
                            SERVICES.kafka().bootstrapServers(),
                            config.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES))) {
                assertThat(r.key()).isEqualTo(pseudonym);
                assertThat(new String(r.value(), StandardCharsets.ISO_8859_1))
                        .doesNotContain(customer);
            }

            Path file = work.resolve("engine.properties");
            Properties properties = new Properties();
            properties.putAll(settings);
            try (Writer out = Files.newBufferedWriter(file)) {
                properties.store(out, "PseudonymizationITCase");
            }
            // `show` takes the raw id and computes the pseudonym from the same configuration.
            String[] shown =
                    CliRuns.execute("show", "customer", customer, "--config", file.toString());
            assertThat(shown[0]).as(shown[2]).isEqualTo("0");
            assertThat(shown[1])
                    .contains(keys.profile(pseudonym))
                    .containsPattern("\\n  orders +1\\n");
            String[] hash =
                    CliRuns.execute("show", "profile", customer, "--config", file.toString());
            assertThat(hash[0]).as(hash[2]).isEqualTo("0");
            assertThat(hash[1]).containsPattern("customerId +" + pseudonym);
            String[] given =
                    CliRuns.execute(
                            "show",
                            "customer",
                            pseudonym,
                            "--pseudonymized",
                            "--config",
                            file.toString());
            assertThat(given[0]).as(given[2]).isEqualTo("0");
            assertThat(given[1]).contains(keys.profile(pseudonym));
            String[] rawAsIs =
                    CliRuns.execute(
                            "show",
                            "customer",
                            customer,
                            "--pseudonymized",
                            "--config",
                            file.toString());
            assertThat(rawAsIs[0])
                    .as("the raw id taken as is names no profile: %s", rawAsIs[1])
                    .isEqualTo("1");
            assertThat(rawAsIs[2]).contains("No profile for customer '" + customer + "'");

            String[] erase =
                    CliRuns.execute(
                            "privacy",
                            "erase",
                            customer,
                            "--config",
                            file.toString(),
                            "--wait",
                            "60");
            assertThat(erase[0]).as(erase[2]).isEqualTo("0");
            assertThat(redis.exists(keys.profile(pseudonym))).isFalse();
        } finally {
            TestJobs.cancel(job);
        }
    }

    /** What a storefront computes, with the JDK alone. */
    private static String storefrontPseudonym(String customer) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] full = mac.doFinal(customer.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));
    }
}
