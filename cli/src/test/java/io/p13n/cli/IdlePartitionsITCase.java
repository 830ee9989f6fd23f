package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.model.ChurnSignal;
import io.p13n.model.ChurnSignalType;
import io.p13n.model.ClickType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-time timers need the watermark, and the watermark is the minimum over every source
 * partition. Here the orders topic gets no events at all: without idleness detection the job's
 * event time would never advance and no cart would ever be abandoned.
 */
class IdlePartitionsITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path checkpoints;

    @Test
    void shouldFireCartAbandonmentWhileTheOrdersTopicIsIdle() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(EngineOptions.WATERMARK_IDLE_TIMEOUT.key(), "1s"));
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        JobClient job = TestJobs.startEngine(config, "idle-partitions-it");
        try (Producer<String, byte[]> producer =
                EventProducers.create(SERVICES.kafka().bootstrapServers(), "idle-" + run)) {
            producer.send(
                    new ProducerRecord<>(
                            clicks,
                            "dave",
                            AvroEventSerializer.encode(
                                    TestEvents.click("dave", ClickType.ADD_TO_CART, T0).build())));
            // Two hours later someone else browses: event time moves past dave's one-hour deadline.
            producer.send(
                    new ProducerRecord<>(
                            clicks,
                            "erin",
                            AvroEventSerializer.encode(
                                    TestEvents.productView("erin", T0.plus(Duration.ofHours(2))))));
            producer.flush();

            String signals = config.get(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS);
            TestJobs.awaitTrue(
                    "dave's cart abandonment",
                    TIMEOUT,
                    () ->
                            !TopicReader.readAll(SERVICES.kafka().bootstrapServers(), signals)
                                    .isEmpty());
            List<ChurnSignal> received =
                    TopicReader.readAll(SERVICES.kafka().bootstrapServers(), signals).stream()
                            .map(r -> decode(r.value()))
                            .toList();
            assertThat(received)
                    .singleElement()
                    .satisfies(
                            signal -> {
                                assertThat(signal.getCustomerId()).isEqualTo("dave");
                                assertThat(signal.getType())
                                        .isEqualTo(ChurnSignalType.CART_ABANDONED);
                                assertThat(signal.getEventTime())
                                        .isEqualTo(T0.plus(Duration.ofHours(1)));
                            });
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static ChurnSignal decode(byte[] value) {
        try {
            return ChurnSignal.getDecoder().decode(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
