package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * A TaskManager dies mid-stream, after a checkpoint and with events in flight; the job restarts
 * from the checkpoint and replays from Kafka. Every event must count exactly once in the profiles:
 * none lost, none applied twice.
 */
class FailureRecoveryITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final int CUSTOMERS = 20;
    private static final int VIEWS_PER_HALF = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir Path checkpoints;

    @Test
    void shouldCountEveryEventExactlyOnceAcrossATaskManagerFailure(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // "latest": a restart that lost its checkpoint (state or offsets) would skip events and
        // fail the
        // count below; with "earliest" a restart from scratch would recount everything and pass
        // anyway.
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.KAFKA_STARTING_OFFSETS.key(),
                                "latest",
                                EngineOptions.CHECKPOINT_INTERVAL.key(),
                                "500ms"));
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        RedisKeys keys = new RedisKeys("it" + run);

        JobClient job = TestJobs.startEngine(config, "recovery-it");
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "rec-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            // With "latest", events count only once the source has its partitions: wait for a
            // marker.
            TestJobs.awaitTrue(
                    "the source to start reading",
                    TIMEOUT,
                    () -> {
                        producer.send(
                                new ProducerRecord<>(
                                        clicks,
                                        "warm-up",
                                        AvroEventSerializer.encode(
                                                TestEvents.productView("warm-up", T0))));
                        producer.flush();
                        return redis.exists(keys.profile("warm-up"));
                    });
            sendViews(producer, clicks, 0);
            TestJobs.awaitTrue(
                    "first half in Redis",
                    TIMEOUT,
                    () -> allCustomersHave(redis, keys, VIEWS_PER_HALF));
            Path jobCheckpoints = checkpoints.resolve(job.getJobID().toString());
            long before = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
            TestJobs.awaitTrue(
                    "a checkpoint after the first half",
                    TIMEOUT,
                    () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) > before);

            // The second half is in flight when the TaskManager dies.
            sendViews(producer, clicks, VIEWS_PER_HALF);
            TestJobs.replaceTaskManager(cluster);

            TestJobs.awaitTrue(
                    "all events after recovery",
                    TIMEOUT,
                    () -> allCustomersHave(redis, keys, 2 * VIEWS_PER_HALF));
            Thread.sleep(3_000); // time for any double-applied replay to show up
            for (int c = 0; c < CUSTOMERS; c++) {
                assertThat(redis.hget(keys.profile("cust-" + c), "productViews"))
                        .as("views of cust-" + c)
                        .isEqualTo(Integer.toString(2 * VIEWS_PER_HALF));
            }
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static void sendViews(Producer<String, byte[]> producer, String topic, int offset) {
        for (int i = 0; i < VIEWS_PER_HALF; i++) {
            for (int c = 0; c < CUSTOMERS; c++) {
                String customer = "cust-" + c;
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                customer,
                                AvroEventSerializer.encode(
                                        TestEvents.productView(
                                                customer, T0.plusSeconds(offset + i)))));
            }
        }
        producer.flush();
    }

    private static boolean allCustomersHave(RedisClient redis, RedisKeys keys, int views) {
        for (int c = 0; c < CUSTOMERS; c++) {
            String value = redis.hget(keys.profile("cust-" + c), "productViews");
            if (value == null || Integer.parseInt(value) < views) {
                return false;
            }
        }
        return true;
    }
}
