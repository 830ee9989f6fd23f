package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
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
import io.p13n.model.Segment;
import io.p13n.model.SegmentChange;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import io.p13n.serde.DeadLetterSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The real job end to end: Avro events produced to a real Kafka broker come out as Redis hashes on
 * a real Redis server; bad records land on the dead-letter topic with their offsets while the job
 * keeps running.
 */
class PersonalizationJobITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path checkpoints;

    @Test
    void shouldWriteProfilesToRedisAndRouteBadRecordsToTheDeadLetterTopic() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config = TestJobs.engineConfig(SERVICES, run, checkpoints, Map.of());
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String deadLetters = config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS);
        RedisKeys keys = new RedisKeys("it" + run);

        List<Long> badOffsets = new ArrayList<>();
        try (Producer<String, byte[]> producer =
                EventProducers.create(SERVICES.kafka().bootstrapServers(), "it-" + run)) {
            ClickEvent view = TestEvents.productView("alice", T0);
            send(producer, clicks, "alice", AvroEventSerializer.encode(view));
            badOffsets.add(
                    send(
                            producer,
                            clicks,
                            "alice",
                            "not avro at all".getBytes(StandardCharsets.UTF_8)));
            send(
                    producer,
                    clicks,
                    "alice",
                    AvroEventSerializer.encode(ClickEvent.newBuilder(view).build())); // a retry
            byte[] unknownSchema = AvroEventSerializer.encode(TestEvents.productView("alice", T0));
            for (int i = 2; i < 10; i++) {
                unknownSchema[i] = (byte) ~unknownSchema[i];
            }
            badOffsets.add(send(producer, clicks, "alice", unknownSchema));
            badOffsets.add(
                    send(
                            producer,
                            clicks,
                            "alice",
                            AvroEventSerializer.encode(
                                    TestEvents.click("alice", ClickType.ADD_TO_CART, T0)
                                            .setPrice(-5.0)
                                            .build())));
            send(
                    producer,
                    clicks,
                    "alice",
                    AvroEventSerializer.encode(
                            TestEvents.click("alice", ClickType.ADD_TO_CART, T0.plusSeconds(5))
                                    .build()));
            send(
                    producer,
                    clicks,
                    "bob",
                    AvroEventSerializer.encode(
                            TestEvents.click("bob", ClickType.SEARCH, T0.plusSeconds(6)).build()));
            send(
                    producer,
                    orders,
                    "alice",
                    AvroEventSerializer.encode(TestEvents.placed("alice", T0.plusSeconds(60), 80)));
        }

        JobClient job = TestJobs.startEngine(config, "personalization-it");
        try (RedisClient redis =
                RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            String alice = keys.profile("alice");
            TestJobs.awaitTrue(
                    "alice's profile with her order",
                    TIMEOUT,
                    () ->
                            "1".equals(redis.hget(alice, "orders"))
                                    && "1".equals(redis.hget(alice, "cartAdds")));
            Map<String, String> profile = redis.hgetAll(alice);
            assertThat(profile)
                    .containsEntry("customerId", "alice")
                    .containsEntry("productViews", "1") // the retried view counted once
                    .containsEntry("cartAdds", "1") // the invalid add-to-cart was not applied
                    .containsEntry("totalSpend", "80.00")
                    .containsEntry("firstSeen", T0.toString())
                    .containsEntry("segment", "NEW") // first purchase
                    .containsEntry("points", "80")
                    .containsEntry("purchasedProducts", "product-1")
                    .containsEntry(
                            "cartItems", "0"); // she added product-1 to the cart, then bought it
            assertThat(redis.pttl(alice)).as("every key expires").isPositive();
            TestJobs.awaitTrue(
                    "bob's profile",
                    TIMEOUT,
                    () -> "1".equals(redis.hget(keys.profile("bob"), "searches")));

            List<ConsumerRecord<byte[], byte[]>> letters = awaitRecords(deadLetters, 3);
            assertThat(letters)
                    .extracting(r -> Long.parseLong(header(r, DeadLetterSerializer.HEADER_OFFSET)))
                    .containsExactlyInAnyOrderElementsOf(badOffsets);
            assertThat(letters)
                    .extracting(r -> header(r, DeadLetterSerializer.HEADER_KIND))
                    .containsExactlyInAnyOrder("UNDECODABLE", "UNKNOWN_SCHEMA", "INVALID");
            assertThat(letters)
                    .allSatisfy(
                            r ->
                                    assertThat(header(r, DeadLetterSerializer.HEADER_TOPIC))
                                            .isEqualTo(clicks));
            assertThat(letters)
                    .filteredOn(
                            r -> header(r, DeadLetterSerializer.HEADER_KIND).equals("UNDECODABLE"))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(new String(r.value(), StandardCharsets.UTF_8))
                                            .isEqualTo("not avro at all"));

            // Her first purchase is a segment change, as an Avro event keyed by customer.
            String segmentChanges = config.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES);
            TestJobs.awaitTrue(
                    "alice's segment change",
                    TIMEOUT,
                    () ->
                            !TopicReader.readAll(
                                            SERVICES.kafka().bootstrapServers(), segmentChanges)
                                    .isEmpty());
            var changes = TopicReader.readAll(SERVICES.kafka().bootstrapServers(), segmentChanges);
            assertThat(changes)
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.key()).isEqualTo("alice");
                                SegmentChange change = SegmentChange.getDecoder().decode(r.value());
                                // PROSPECT if her clicks were read before her order; the topics are
                                // read concurrently.
                                assertThat(change.getFrom())
                                        .isIn(Segment.PROSPECT, Segment.UNKNOWN);
                                assertThat(change.getTo()).isEqualTo(Segment.NEW);
                            });

            // The job survived the poison records and keeps consuming.
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            try (Producer<String, byte[]> producer =
                    EventProducers.create(SERVICES.kafka().bootstrapServers(), "it-late-" + run)) {
                send(
                        producer,
                        clicks,
                        "carol",
                        AvroEventSerializer.encode(
                                TestEvents.productView("carol", T0.plusSeconds(120))));
            }
            TestJobs.awaitTrue(
                    "carol's profile after the bad records",
                    TIMEOUT,
                    () -> "1".equals(redis.hget(keys.profile("carol"), "productViews")));
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static long send(
            Producer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        return producer.send(new ProducerRecord<>(topic, key, value)).get().offset();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVICES.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // Give a wrong extra record the chance to show up.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        assertThat(records).as("records on " + topic).hasSize(count);
        return records;
    }
}
