package io.p13n.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.campaign.CampaignCommand;
import io.p13n.jobs.redis.RedisKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Live page's numbers, sampled every {@link #INTERVAL} on one background thread: events in (the
 * input topics' end offsets, so what the storefront sent, whether or not the job keeps up), dead
 * letters, offers sent (the campaigns' stats hashes), segment sizes (the profile hashes), Redis's
 * answer time and memory, and the running job's state and checkpoints from Flink's REST API. Rates
 * are differences between consecutive samples.
 */
final class LiveSampler implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(5);

    /**
     * Samples kept for the charts: 30 minutes at one per 5 s. A console left open for days holds
     * the same few kilobytes.
     */
    static final int MAX_SAMPLES = 360;

    /**
     * Profiles read for the segment sizes per sample: enough for the demo's population exactly, a
     * sample of a big store's (the page says so), and a bounded cost to Redis either way.
     */
    static final int MAX_SEGMENT_PROFILES = 20_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One point of the charts. */
    record Point(String at, Double eventsPerSecond, Double offersPerMinute, long deadLetters) {}

    /** Everything the page shows, as of {@code at}. */
    record Snapshot(
            String at,
            long eventsIn,
            long deadLetters,
            long offersSent,
            Map<String, Long> segments,
            long profilesCounted,
            boolean segmentsSampled,
            Map<String, Object> redis,
            Map<String, Object> flink,
            String dashboard,
            List<Point> series,
            String kafkaError) {}

    private record Totals(long at, long events, long offersSent) {}

    private final Map<String, Object> kafkaSettings;
    private final List<String> eventTopics;
    private final String deadLetterTopic;
    private final UnifiedJedis redis;
    private final RedisKeys keys;
    private final URI flinkRest;
    private final String jobName;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "console-live-sampler");
                        t.setDaemon(true);
                        return t;
                    });

    private final Deque<Point> series = new ArrayDeque<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Totals previous;
    private volatile Snapshot latest;

    /**
     * @param kafkaSettings the client settings (bootstrap servers and the engine's security ones)
     * @param flinkRest the running engine's REST API, e.g. http://localhost:8081
     * @param jobName the engine's {@code job.name}, to pick its job among others
     */
    LiveSampler(
            Map<String, Object> kafkaSettings,
            List<String> eventTopics,
            String deadLetterTopic,
            UnifiedJedis redis,
            RedisKeys keys,
            URI flinkRest,
            String jobName) {
        this.kafkaSettings = Map.copyOf(kafkaSettings);
        this.eventTopics = List.copyOf(eventTopics);
        this.deadLetterTopic = deadLetterTopic;
        this.redis = redis;
        this.keys = keys;
        this.flinkRest = flinkRest;
        this.jobName = jobName;
    }

    void start() {
        timer.scheduleWithFixedDelay(
                this::sampleQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest sample; taken now when there is none yet. */
    Snapshot snapshot() {
        Snapshot s = latest;
        if (s == null) {
            try {
                return timer.submit(
                                () -> {
                                    if (latest == null) {
                                        sample();
                                    }
                                    return latest;
                                })
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("no live sample: " + e.getMessage(), e);
            }
        }
        return s;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // The next sample tries again; the page shows the last good one with its time.
            System.err.println("console: live sample failed: " + e);
        }
    }

    /** One sample; on the sampler thread only (the Kafka consumer is not thread-safe). */
    private synchronized void sample() {
        long now = System.currentTimeMillis();
        long events = -1;
        long deadLetters = -1;
        String kafkaError = null;
        try {
            events = endOffsets(eventTopics);
            deadLetters = endOffsets(List.of(deadLetterTopic));
        } catch (RuntimeException e) {
            kafkaError = e.getMessage();
            closeConsumer();
        }
        Map<String, Object> redisHealth = new TreeMap<>();
        long offersSent = -1;
        Map<String, Long> segments = new TreeMap<>();
        long counted = 0;
        try {
            long start = System.nanoTime();
            redis.ping();
            redisHealth.put("pingMillis", (System.nanoTime() - start) / 1e6);
            redisHealth.put("usedMemory", infoField(redis.info("memory"), "used_memory_human"));
            redisHealth.put("ok", true);
            offersSent = offersSent();
            counted = segments(segments);
        } catch (RuntimeException e) {
            redisHealth.put("ok", false);
            redisHealth.put("error", e.getMessage());
        }
        Totals totals = new Totals(now, events, offersSent);
        Double eventsPerSecond = null;
        Double offersPerMinute = null;
        if (previous != null && now > previous.at()) {
            double seconds = (now - previous.at()) / 1000.0;
            if (events >= 0 && previous.events() >= 0) {
                eventsPerSecond = (events - previous.events()) / seconds;
            }
            if (offersSent >= 0 && previous.offersSent() >= 0) {
                offersPerMinute = (offersSent - previous.offersSent()) * 60 / seconds;
            }
        }
        previous = totals;
        String at = Instant.ofEpochMilli(now).toString();
        List<Point> points;
        synchronized (series) {
            series.addLast(new Point(at, eventsPerSecond, offersPerMinute, deadLetters));
            while (series.size() > MAX_SAMPLES) {
                series.removeFirst();
            }
            points = List.copyOf(series);
        }
        latest =
                new Snapshot(
                        at,
                        events,
                        deadLetters,
                        offersSent,
                        segments,
                        counted,
                        counted >= MAX_SEGMENT_PROFILES,
                        redisHealth,
                        flink(),
                        flinkRest.toString(),
                        points,
                        kafkaError);
    }

    private long endOffsets(Collection<String> topics) {
        if (consumer == null) {
            Properties props = new Properties();
            props.putAll(kafkaSettings);
            props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "p13n-console-live");
            consumer =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(5));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : all.getOrDefault(topic, List.of())) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        return consumer.endOffsets(partitions, Duration.ofSeconds(5)).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Offers sent by every campaign with stats: the treated arms' {@code sent}. */
    private long offersSent() {
        long sent = 0;
        for (String key : scan(keys.campaignStats("*"), Integer.MAX_VALUE)) {
            for (CampaignCommand.Arm arm : CampaignCommand.arms(redis.hgetAll(key))) {
                if (!CampaignCommand.isControl(arm)) {
                    sent += arm.sent();
                }
            }
        }
        return sent;
    }

    /** Customers per segment from (at most {@link #MAX_SEGMENT_PROFILES}) profile hashes. */
    private long segments(Map<String, Long> into) {
        List<String> profiles = scan(keys.profilePattern(), MAX_SEGMENT_PROFILES);
        List<Response<String>> segments = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String key : profiles) {
                segments.add(pipeline.hget(key, "segment"));
            }
            pipeline.sync();
        }
        for (Response<String> r : segments) {
            String segment = r.get();
            into.merge(segment == null || segment.isEmpty() ? "?" : segment, 1L, Long::sum);
        }
        return profiles.size();
    }

    private List<String> scan(String pattern, int max) {
        List<String> found = new ArrayList<>();
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                if (found.size() < max) {
                    found.add(key);
                }
            }
            cursor = page.getCursor();
        } while (found.size() < max && !cursor.equals(ScanParams.SCAN_POINTER_START));
        return found;
    }

    private static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "?";
    }

    /**
     * The engine's job and its checkpoints: {@code /jobs/overview}, then {@code
     * /jobs/:id/checkpoints} of the running job named {@link #jobName} (else the first running).
     */
    private Map<String, Object> flink() {
        Map<String, Object> out = new TreeMap<>();
        try {
            JsonNode jobs = get("/jobs/overview").path("jobs");
            JsonNode job = null;
            for (JsonNode j : jobs) {
                boolean running = "RUNNING".equals(j.path("state").asText());
                if (running && (job == null || jobName.equals(j.path("name").asText()))) {
                    job = j;
                }
            }
            out.put("reachable", true);
            if (job == null) {
                out.put("job", null);
                out.put("state", jobs.isEmpty() ? "no job" : "no running job");
                return out;
            }
            String id = job.path("jid").asText();
            out.put("job", job.path("name").asText());
            out.put("jobId", id);
            out.put("state", job.path("state").asText());
            JsonNode checkpoints = get("/jobs/" + id + "/checkpoints");
            JsonNode counts = checkpoints.path("counts");
            out.put("checkpointsCompleted", counts.path("completed").asLong());
            out.put("checkpointsFailed", counts.path("failed").asLong());
            out.put("checkpointsInProgress", counts.path("in_progress").asLong());
            JsonNode last = checkpoints.path("latest").path("completed");
            if (!last.isMissingNode() && !last.isNull()) {
                long ackedAt = last.path("latest_ack_timestamp").asLong();
                out.put("lastCheckpointId", last.path("id").asLong());
                out.put("lastCheckpointAt", Instant.ofEpochMilli(ackedAt).toString());
                out.put("lastCheckpointAgeSeconds", (System.currentTimeMillis() - ackedAt) / 1000);
                out.put("lastCheckpointMillis", last.path("end_to_end_duration").asLong());
                out.put("lastCheckpointBytes", last.path("checkpointed_size").asLong());
            }
            JsonNode failed = checkpoints.path("latest").path("failed");
            if (!failed.isMissingNode() && !failed.isNull()) {
                out.put("lastFailure", failed.path("failure_message").asText(null));
            }
        } catch (Exception e) {
            out.put("reachable", false);
            out.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return out;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(flinkRest.resolve(path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                // closing a broken client: nothing more to do
            }
            consumer = null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConsumer();
    }
}
