package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.recommend.ServingJson;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.ScoredItem;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Recommendations on real Kafka and Redis: lists appear within the job's latency, a reader polling
 * while the job rewrites a list only ever sees complete lists, and every list expires.
 */
class RecommendationsITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path checkpoints;

    @Test
    void shouldServeCompleteListsThatExpire() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.RECOMMEND_COALESCE_INTERVAL.key(), "100ms",
                                EngineOptions.RECOMMEND_RECOMMENDATIONS_TTL.key(), "4s",
                                EngineOptions.REDIS_BATCH_MAX_DELAY.key(), "20ms"));
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        RedisKeys keys = new RedisKeys("it" + run);

        JobClient job = TestJobs.startEngine(config, "recommendations-it");
        try (RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port());
                Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "it-" + run)) {
            // shoppers teach the model that P2 follows P1
            for (int i = 0; i < 8; i++) {
                Instant start = T0.plusSeconds(60L * i);
                view(producer, clicks, "shopper-" + i, "P1", start);
                view(producer, clicks, "shopper-" + i, "P2", start.plusSeconds(10));
            }
            TestJobs.awaitTrue(
                    "P1's similar items in Redis",
                    TIMEOUT,
                    () -> ids(redis.get(keys.similarItems("P1"))).contains("P2"));

            // alice looks at P1: her list leads with P2, for that reason
            Instant later = T0.plusSeconds(3600);
            view(producer, clicks, "alice", "P1", later);
            String recommendations = keys.recommendations("alice");
            TestJobs.awaitTrue(
                    "alice's recommendations",
                    TIMEOUT,
                    () -> ids(redis.get(recommendations)).contains("P2"));
            List<ScoredItem> first = ServingJson.items(redis.get(recommendations));
            assertThat(first.get(0).getItemId()).isEqualTo("P2");
            assertThat(first.get(0).getReason()).isEqualTo("viewed together with P1");

            // a burst of clicks rewrites her list again and again while a storefront reads it
            AtomicBoolean reading = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            Set<String> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicReference<String> broken = new AtomicReference<>();
            Thread storefront =
                    new Thread(
                            () -> {
                                try (RedisClient reader =
                                        RedisClient.create(
                                                SERVICES.redis().host(), SERVICES.redis().port())) {
                                    while (reading.get()) {
                                        String json = reader.get(recommendations);
                                        if (json == null) {
                                            continue;
                                        }
                                        reads.incrementAndGet();
                                        versions.add(json);
                                        String problem = completeListProblem(json);
                                        if (problem != null) {
                                            broken.compareAndSet(null, problem + ": " + json);
                                        }
                                    }
                                }
                            });
            storefront.start();
            for (int i = 1; i <= 20; i++) {
                view(producer, clicks, "alice", i % 2 == 0 ? "P1" : "P2", later.plusSeconds(i));
                Thread.sleep(50);
            }
            TestJobs.awaitTrue(
                    "alice's list after the burst",
                    TIMEOUT,
                    () ->
                            ServingJson.updatedAt(redis.get(recommendations))
                                    == later.plusSeconds(20).toEpochMilli());
            reading.set(false);
            storefront.join();
            assertThat(broken.get()).as("a reader only ever sees whole lists").isNull();
            assertThat(reads.get())
                    .as("the storefront read during the rewrites")
                    .isGreaterThan(100);
            assertThat(versions)
                    .as("the list was rewritten while being read")
                    .hasSizeGreaterThan(2);

            // every list is bounded in time
            assertThat(redis.pttl(keys.similarItems("P1")))
                    .isBetween(1L, config.get(EngineOptions.RECOMMEND_SIMILAR_TTL).toMillis());
            assertThat(redis.pttl(keys.trending()))
                    .isBetween(1L, config.get(EngineOptions.RECOMMEND_TRENDING_TTL).toMillis());
            assertThat(redis.pttl(recommendations)).isBetween(1L, 4_000L);
            // no more clicks from alice: her list expires on its own
            TestJobs.awaitTrue(
                    "alice's list to expire",
                    Duration.ofSeconds(20),
                    () -> !redis.exists(recommendations));
        } finally {
            TestJobs.cancel(job);
        }
    }

    /** Null if {@code json} is a whole recommendation list, else what is wrong with it. */
    private static String completeListProblem(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode items = root.get("items");
            if (items == null
                    || !items.isArray()
                    || root.get("updatedAt") == null
                    || root.get("strategy") == null) {
                return "missing fields";
            }
            if (items.size() > 20) {
                return "size " + items.size();
            }
            Set<String> ids = new HashSet<>();
            for (JsonNode item : items) {
                if (!ids.add(item.path("id").asText())) {
                    return "duplicate " + item.path("id").asText();
                }
            }
            return null;
        } catch (Exception e) {
            return "unparseable";
        }
    }

    private static List<String> ids(String json) {
        return ServingJson.items(json).stream().map(ScoredItem::getItemId).toList();
    }

    private static void view(
            Producer<String, byte[]> producer,
            String topic,
            String customer,
            String product,
            Instant at)
            throws Exception {
        ClickEvent click =
                TestEvents.click(customer, ClickType.PRODUCT_VIEW, at)
                        .setSessionId(customer + "-s")
                        .setProductId(product)
                        .setCategoryId("C1")
                        .build();
        producer.send(new ProducerRecord<>(topic, customer, AvroEventSerializer.encode(click)))
                .get();
    }
}
