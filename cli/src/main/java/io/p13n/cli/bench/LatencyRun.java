package io.p13n.cli.bench;

import io.p13n.cli.bench.BenchResult.LatencyResult;
import io.p13n.cli.traffic.EventFields;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.cli.traffic.EventTopics;
import io.p13n.cli.traffic.StorefrontSimulator;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The engine (RocksDB, checkpoints on) at a fixed input rate, measuring event-to-Redis latency:
 * from an event's Kafka record timestamp (set explicitly to its event time, the moment it is sent)
 * to the moment Redis executes the HSET that carries it.
 *
 * <p>Method: Redis keyspace notifications ({@code notify-keyspace-events Kh}) announce every HSET
 * of a profile key; a subscriber stamps each announcement on arrival, and a resolver reads the
 * key's {@code updatedAt} (the newest event time the write includes) in one pipelined HGET per
 * burst, and matches it to the events sent for that customer ({@link LatencyRecorder}). Error:
 * notifications are published as Redis executes each command, so the stamp is within the pub/sub
 * delivery time (sub-millisecond on loopback) of the write; the sink's own pipeline acknowledgement
 * comes at most one batch's round trip later. If a second write of the same key lands between the
 * notification and the HGET (reported as the resolver lag), its events are credited to the first
 * write: an underestimate bounded by that lag.
 */
final class LatencyRun {
    private static final double[] CURVE = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    private final EngineConfig config;
    private final String savepoint;
    private final Workload workload;
    private final double rate;
    private final double loadFraction;
    private final String rateBasis;
    private final Duration warmup;
    private final Duration measure;
    private final RedisProbe probe;
    private final String redisHost;
    private final int redisPort;
    private final int restPort;
    private final ProgressLine progress;
    private java.util.Map<String, String> flinkOptions = java.util.Map.of();

    /** Flink settings for experiments, set before the bench's own. */
    LatencyRun withFlinkOptions(java.util.Map<String, String> options) {
        this.flinkOptions = java.util.Map.copyOf(options);
        return this;
    }

    LatencyRun(
            EngineConfig config,
            String savepoint,
            Workload workload,
            double rate,
            double loadFraction,
            String rateBasis,
            Duration warmup,
            Duration measure,
            RedisProbe probe,
            String redisHost,
            int redisPort,
            int restPort,
            ProgressLine progress) {
        this.config = config;
        this.savepoint = savepoint;
        this.workload = workload;
        this.rate = rate;
        this.loadFraction = loadFraction;
        this.rateBasis = rateBasis;
        this.warmup = warmup;
        this.measure = measure;
        this.probe = probe;
        this.redisHost = redisHost;
        this.redisPort = redisPort;
        this.restPort = restPort;
        this.progress = progress;
    }

    /** A keyspace notification: a profile HSET or, with {@code list}, a recommendation-list SET. */
    private record Note(String key, long at, boolean list) {}

    LatencyResult run() throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
                        BenchJobs.flinkConfiguration(config, restPort, savepoint, flinkOptions));
        BenchJobs.defineEngine(env, config);
        probe.flushAll();
        probe.notifyHashWrites(true);
        JobClient job = env.executeAsync(BenchJobs.jobName(config, Phase.LATENCY));
        String jobId = job.getJobID().toHexString();
        FlinkRest rest = new FlinkRest(restPort);

        String prefix = config.get(EngineOptions.REDIS_KEY_PREFIX);
        String channelPrefix = "__keyspace@0__:";
        LatencyRecorder recorder = new LatencyRecorder();
        // Product views only, matched against the customer's recommendation list: the list whose
        // updatedAt is at or after the view's time is the first one ranked with it.
        LatencyRecorder listRecorder = new LatencyRecorder();
        BlockingQueue<Note> notes = new LinkedBlockingQueue<>();
        AtomicLong maxLag = new AtomicLong();
        JedisPubSub listener =
                new JedisPubSub() {
                    @Override
                    public void onPMessage(String pattern, String channel, String message) {
                        if ("hset".equals(message)) {
                            notes.add(
                                    new Note(
                                            channel.substring(channelPrefix.length()),
                                            System.currentTimeMillis(),
                                            false));
                        } else if ("set".equals(message)) {
                            notes.add(
                                    new Note(
                                            channel.substring(channelPrefix.length()),
                                            System.currentTimeMillis(),
                                            true));
                        }
                    }
                };
        Jedis subscriberConnection = new Jedis(redisHost, redisPort);
        Jedis resolverConnection = new Jedis(redisHost, redisPort);
        Thread subscriber =
                new Thread(
                        () ->
                                subscriberConnection.psubscribe(
                                        listener,
                                        channelPrefix + prefix + ":{c:*}:profile",
                                        channelPrefix + prefix + ":{c:*}:recommendations"),
                        "bench-keyspace");
        subscriber.setDaemon(true);
        RunningFlag running = new RunningFlag();
        Thread resolver =
                new Thread(
                        () ->
                                resolve(
                                        notes,
                                        resolverConnection,
                                        recorder,
                                        listRecorder,
                                        maxLag,
                                        running),
                        "bench-resolver");
        resolver.setDaemon(true);

        Producer<String, byte[]> producer =
                EventProducers.create(
                        config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS), "p13n-bench-latency");
        try {
            awaitRunning(job, rest, jobId);
            subscriber.start();
            resolver.start();
            Thread.sleep(200); // the subscription is in place before the first measured write

            EventTopics topics =
                    new EventTopics(
                            config.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                            config.get(EngineOptions.KAFKA_TOPIC_ORDERS));
            ManualClock clock = new ManualClock(System.currentTimeMillis());
            StorefrontSimulator simulator =
                    new StorefrontSimulator(
                            workload.seed(),
                            workload.customers(),
                            workload.products(),
                            workload.categories(),
                            clock,
                            workload.runId() + "-live" + System.currentTimeMillis(),
                            workload.sessions());
            long nanosPerEvent = (long) (1e9 / rate);
            long warmupNanos = warmup.toNanos();
            long totalNanos = warmupNanos + measure.toNanos();
            long start = System.nanoTime();
            long sent = 0;
            long measuredFrom = 0;
            long measuredEvents = 0;
            long lastPrint = start;
            com.fasterxml.jackson.databind.JsonNode jobAtStart = null;
            CpuSampler cpu = new CpuSampler();
            while (true) {
                long now = System.nanoTime();
                long elapsed = now - start;
                if (elapsed >= totalNanos) {
                    break;
                }
                long due = start + sent * nanosPerEvent;
                if (due - now > 1_000_000) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
                long millis = System.currentTimeMillis();
                clock.set(millis);
                SpecificRecordBase event = simulator.next();
                ProducerRecord<String, byte[]> record = topics.recordFor(event);
                boolean measuring = elapsed >= warmupNanos;
                if (measuring) {
                    if (measuredFrom == 0) {
                        measuredFrom = now;
                        jobAtStart = jobDetails(rest, jobId);
                    }
                    recorder.sent(EventFields.customerId(event), millis);
                    if (event instanceof ClickEvent click
                            && click.getType() == ClickType.PRODUCT_VIEW) {
                        listRecorder.sent(click.getCustomerId(), millis);
                    }
                    measuredEvents++;
                }
                // Explicit timestamp: the record's timestamp is exactly the event time the latency
                // counts from.
                producer.send(
                        new ProducerRecord<>(
                                record.topic(), null, millis, record.key(), record.value()));
                sent++;
                if (now - lastPrint > 1_000_000_000L) {
                    if (measuring) {
                        cpu.sample();
                    }
                    JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                    if (status.isGloballyTerminalState()) {
                        throw new IllegalStateException(
                                "job " + status + " during the latency phase (see the log)");
                    }
                    progress.update(
                            String.format(
                                    "%-12s %s at %,.0f ev/s: sent %,d, measured %,d, in Redis %,d",
                                    "latency",
                                    measuring ? "measuring" : "warming up",
                                    rate,
                                    sent,
                                    measuredEvents,
                                    recorder.observed()));
                    lastPrint = now;
                }
            }
            long sendingEnded = System.nanoTime();
            producer.flush();
            double achieved =
                    measuredFrom == 0
                            ? Double.NaN
                            : Rates.perSecond(0, measuredFrom, measuredEvents, sendingEnded);
            long backlog = -1;
            List<BenchResult.VertexResult> vertices = new ArrayList<>();
            com.fasterxml.jackson.databind.JsonNode jobAtEnd = jobDetails(rest, jobId);
            if (jobAtEnd != null) {
                backlog =
                        Math.max(
                                0,
                                sent
                                        - FlinkRest.progress(
                                                        jobAtEnd,
                                                        BenchJobs.SOURCES,
                                                        BenchJobs.ENGINE_KEYED)
                                                .keyedRecordsIn());
                if (jobAtStart != null) {
                    for (FlinkRest.VertexWork v : FlinkRest.work(jobAtStart, jobAtEnd)) {
                        vertices.add(
                                new BenchResult.VertexResult(
                                        v.name(),
                                        v.recordsIn(),
                                        v.recordsOut(),
                                        Rates.orNull(v.busyShare()),
                                        Rates.orNull(v.backPressuredShare())));
                    }
                }
            }
            // The tail: events sent last still travel through the job and the sink's batch.
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (recorder.observed() < recorder.registered() && System.nanoTime() < waitUntil) {
                progress.update(
                        String.format(
                                "%-12s waiting for the last writes: %,d of %,d measured events in Redis",
                                "latency", recorder.observed(), recorder.registered()));
                Thread.sleep(200);
            }
            running.set(false);
            listener.punsubscribe();
            resolver.join(5_000);

            Percentiles latencies = recorder.latencies();
            // Checkpoints while measuring, and the tail without the events sent around them (from 1
            // s
            // before a checkpoint is triggered to 1 s after it completes).
            List<long[]> windows = new ArrayList<>();
            long measuredFromMillis =
                    System.currentTimeMillis() - (System.nanoTime() - measuredFrom) / 1_000_000;
            try {
                for (FlinkRest.Checkpoint c : FlinkRest.completed(rest.checkpoints(jobId))) {
                    if (!c.savepoint()
                            && c.triggerTimestamp() + c.durationMillis() >= measuredFromMillis) {
                        windows.add(
                                new long[] {
                                    c.triggerTimestamp() - 1_000,
                                    c.triggerTimestamp() + c.durationMillis() + 1_000
                                });
                    }
                }
            } catch (IOException e) {
                // only informative
            }
            Percentiles outside = recorder.latenciesOutside(windows);
            List<double[]> curve = new ArrayList<>();
            if (latencies.count() > 0) {
                for (double q : CURVE) {
                    curve.add(new double[] {q, latencies.percentile(q)});
                }
            }
            progress.done(
                    String.format(
                            "%-12s p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms at %,.0f ev/s (%,d of %,d events seen in Redis)",
                            "latency",
                            latencies.percentile(50),
                            latencies.percentile(99),
                            latencies.percentile(99.9),
                            achieved,
                            recorder.observed(),
                            recorder.registered()));
            return new LatencyResult(
                    "ok",
                    null,
                    rate,
                    Rates.orNull(loadFraction),
                    rateBasis,
                    Rates.orNull(achieved),
                    measure.toMillis() / 1000.0,
                    recorder.registered(),
                    recorder.observed(),
                    Rates.orNull(latencies.percentile(50)),
                    Rates.orNull(latencies.percentile(99)),
                    Rates.orNull(latencies.percentile(99.9)),
                    Rates.orNull(latencies.max()),
                    Rates.orNull(latencies.mean()),
                    maxLag.get(),
                    savepoint != null,
                    backlog < 0 ? null : backlog,
                    vertices,
                    cpu.result(),
                    windows.size(),
                    Rates.orNull(outside.percentile(99)),
                    Rates.orNull(outside.percentile(99.9)),
                    method(),
                    curve,
                    listRecorder.registered(),
                    listRecorder.observed(),
                    Rates.orNull(listRecorder.latencies().percentile(50)),
                    Rates.orNull(listRecorder.latencies().percentile(99)),
                    Rates.orNull(listRecorder.latencies().percentile(99.9)));
        } finally {
            running.set(false);
            try {
                listener.punsubscribe();
            } catch (Exception e) {
                // not subscribed
            }
            producer.close(Duration.ofSeconds(10));
            ThroughputRun.stop(job);
            subscriberConnection.close();
            resolverConnection.close();
            probe.notifyHashWrites(false);
        }
    }

    static String method() {
        return "Kafka record timestamp (= event time, set at send) to the Redis HSET that carries the event, seen through keyspace "
                + "notifications (notify-keyspace-events Kh) stamped on arrival; the write's updatedAt (HGET, pipelined per burst) tells which "
                + "events it includes. Error: pub/sub delivery (sub-ms on loopback); an underestimate of at most resolverMaxLagMs if a key is "
                + "written twice before its HGET.";
    }

    private static void resolve(
            BlockingQueue<Note> notes,
            Jedis connection,
            LatencyRecorder recorder,
            LatencyRecorder listRecorder,
            AtomicLong maxLag,
            RunningFlag running) {
        List<Note> batch = new ArrayList<>();
        while (running.get() || !notes.isEmpty()) {
            try {
                Note first = notes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                notes.drainTo(batch, 4096);
                List<Response<String>> values = new ArrayList<>(batch.size());
                Pipeline pipeline = connection.pipelined();
                for (Note note : batch) {
                    values.add(
                            note.list()
                                    ? pipeline.get(note.key())
                                    : pipeline.hget(note.key(), "updatedAt"));
                }
                pipeline.sync();
                long now = System.currentTimeMillis();
                for (int i = 0; i < batch.size(); i++) {
                    Note note = batch.get(i);
                    String value = values.get(i).get();
                    String updatedAt = note.list() ? listUpdatedAt(value) : value;
                    String customer = LatencyRecorder.customerOfKey(note.key());
                    if (updatedAt == null || updatedAt.isEmpty() || customer == null) {
                        continue;
                    }
                    (note.list() ? listRecorder : recorder)
                            .written(customer, Instant.parse(updatedAt).toEpochMilli(), note.at());
                    maxLag.accumulateAndGet(now - note.at(), Math::max);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    throw e;
                }
                return; // connection closed while stopping
            }
        }
    }

    /** The {@code updatedAt} of a recommendation-list document, or null. */
    static String listUpdatedAt(String document) {
        if (document == null) {
            return null;
        }
        try {
            return LIST_JSON.readTree(document).path("updatedAt").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper LIST_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Job details with fresh record counts: Flink's REST handlers answer from the metric store and
     * only then start a fetch, so the first call after a pause returns counts as old as the pause.
     */
    private static com.fasterxml.jackson.databind.JsonNode jobDetails(
            FlinkRest rest, String jobId) {
        try {
            rest.job(jobId);
            Thread.sleep(600);
            return rest.job(jobId);
        } catch (IOException e) {
            return null; // only informative
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void awaitRunning(JobClient job, FlinkRest rest, String jobId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("job " + status + " while starting (see the log)");
            }
            try {
                if (FlinkRest.progress(rest.job(jobId), BenchJobs.SOURCES, BenchJobs.ENGINE_KEYED)
                        .allRunning()) {
                    return;
                }
            } catch (IOException e) {
                // REST endpoint not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job not running after 5 minutes");
    }

    /** A stop flag shared by the sender and the resolver. */
    private static final class RunningFlag {
        private volatile boolean value = true;

        boolean get() {
            return value;
        }

        void set(boolean value) {
            this.value = value;
        }
    }
}
