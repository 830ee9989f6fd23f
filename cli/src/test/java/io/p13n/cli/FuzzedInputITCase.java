package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.DeadLetter;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.SourceRecord;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import io.p13n.serde.SourceRecordDeserializer;
import io.p13n.serde.SourceRecordDeserializer.EventKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Bad input, tried harder, through the real job: random bytes, truncated and bit-flipped Avro, ids
 * of 200,000 characters, NaN and infinite money, event times at the limits of a long, empty values.
 * The same records are judged offline by the job's own decoder first; in the job, every record the
 * decoder rejects lands on the dead-letter topic (exactly as many as it rejected), every customer
 * of an accepted event has a profile, and the job never fails.
 */
class FuzzedInputITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int RECORDS = 400;

    @TempDir Path checkpoints;

    @Test
    void everyRecordIsProcessedOrDeadLetteredAndTheJobNeverFails(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config = TestJobs.engineConfig(SERVICES, run, checkpoints, Map.of());
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String bootstrap = SERVICES.kafka().bootstrapServers();
        long skew = config.get(EngineOptions.VALIDATION_MAX_FUTURE_SKEW).toMillis();
        SourceRecordDeserializer clickJudge = new SourceRecordDeserializer(EventKind.CLICKS, skew);
        SourceRecordDeserializer orderJudge = new SourceRecordDeserializer(EventKind.ORDERS, skew);

        Random random = new Random(42);
        Instant now = Instant.now();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        int rejected = 0;
        Set<String> accepted = new TreeSet<>();
        for (int i = 0; i < RECORDS; i++) {
            boolean click = random.nextBoolean();
            String customer = "fz-" + random.nextInt(40);
            byte[] value = fuzzed(random, click, customer, now.minusSeconds(3600 + i));
            String topic = click ? clicks : orders;
            records.add(new ProducerRecord<>(topic, customer, value));
            // The job's own decoder decides now what the job must do with it later.
            SourceRecord judged =
                    (click ? clickJudge : orderJudge)
                            .toSourceRecord(
                                    new ConsumerRecord<>(topic, 0, i, null, value),
                                    System.currentTimeMillis());
            if (judged.getPayload() instanceof DeadLetter) {
                rejected++;
            } else {
                accepted.add(
                        judged.getPayload() instanceof ClickEvent c
                                ? c.getCustomerId()
                                : ((OrderEvent) judged.getPayload()).getCustomerId());
            }
        }
        assertThat(rejected).as("the mix rejects some").isBetween(RECORDS / 4, RECORDS - 20);

        JobClient job = TestJobs.startEngine(config, "fuzz-" + run);
        try (Producer<String, byte[]> producer = EventProducers.create(bootstrap, "fz-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r).get();
            }
            RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
            int expectedDeadLetters = rejected;
            TestJobs.awaitTrue(
                    "every rejected record on the dead-letter topic, every accepted customer's"
                            + " profile in Redis",
                    TIMEOUT,
                    () ->
                            TopicReader.readAll(
                                                            bootstrap,
                                                            config.get(
                                                                    EngineOptions
                                                                            .KAFKA_TOPIC_DEAD_LETTERS))
                                                    .size()
                                            >= expectedDeadLetters
                                    && accepted.stream()
                                            .allMatch(c -> redis.exists(keys.profile(c))));
            assertThat(
                            TopicReader.readAll(
                                            bootstrap,
                                            config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS))
                                    .size())
                    .as("dead letters: exactly the rejected records (no restart wrote any twice)")
                    .isEqualTo(rejected);
            assertThat(cluster.getExecutionGraph(job.getJobID()).get().getFailureInfo())
                    .as("the job never failed")
                    .isNull();
        } finally {
            TestJobs.cancel(job);
        }
    }

    /** One record of the mix: valid, or broken in one of the ways a producer's bug breaks one. */
    private static byte[] fuzzed(Random random, boolean click, String customer, Instant at) {
        byte[] valid =
                click
                        ? AvroEventSerializer.encode(
                                TestEvents.click(customer, ClickType.PRODUCT_VIEW, at)
                                        .setProductId("p-" + random.nextInt(20))
                                        .build())
                        : AvroEventSerializer.encode(
                                TestEvents.order(customer, OrderStatus.PLACED, at, 20).build());
        switch (random.nextInt(10)) {
            case 0: // random bytes, any length (also empty)
                byte[] noise = new byte[random.nextInt(300)];
                random.nextBytes(noise);
                return noise;
            case 1: // truncated
                return Arrays.copyOf(valid, random.nextInt(valid.length));
            case 2: // one bit flipped anywhere (header, fingerprint, body)
            case 3:
                byte[] flipped = valid.clone();
                int bit = random.nextInt(flipped.length * 8);
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                return flipped;
            case 4: // a huge id
                return click
                        ? AvroEventSerializer.encode(
                                TestEvents.productView("h".repeat(200_000), at))
                        : AvroEventSerializer.encode(
                                TestEvents.placed("h".repeat(200_000), at, 20));
            case 5: // money that is not a number
                return click
                        ? AvroEventSerializer.encode(
                                TestEvents.click(customer, ClickType.ADD_TO_CART, at)
                                        .setProductId("p-1")
                                        .setPrice(random.nextBoolean() ? Double.NaN : -1.0)
                                        .build())
                        : AvroEventSerializer.encode(
                                TestEvents.placed(
                                        customer,
                                        at,
                                        random.nextBoolean()
                                                ? Double.NaN
                                                : Double.POSITIVE_INFINITY));
            case 6: // event times at the limits
                Instant limit =
                        switch (random.nextInt(3)) {
                            case 0 -> Instant.ofEpochMilli(Long.MAX_VALUE);
                            case 1 -> Instant.ofEpochMilli(Long.MIN_VALUE);
                            default -> Instant.EPOCH;
                        };
                return click
                        ? AvroEventSerializer.encode(TestEvents.productView(customer, limit))
                        : AvroEventSerializer.encode(TestEvents.placed(customer, limit, 20));
            case 7: // valid single-object header, garbage body
                byte[] body = valid.clone();
                for (int i = 10; i < body.length; i++) {
                    body[i] = (byte) random.nextInt(256);
                }
                return body;
            default:
                return valid;
        }
    }
}
