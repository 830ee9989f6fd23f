package io.p13n.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.p13n.cli.bench.BenchResult.LatencyResult;
import io.p13n.cli.bench.BenchResult.PhaseResult;
import io.p13n.cli.local.EmbeddedKafka;
import io.p13n.cli.local.EmbeddedRedis;
import io.p13n.cli.traffic.DurationConverter;
import io.p13n.cli.traffic.EventTopics;
import io.p13n.cli.traffic.StorefrontSimulator;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code personalize bench}: the engine's throughput and latency on the embedded stack (in-JVM
 * Kafka, a Redis server, a local Flink cluster). Pre-fills Kafka with a seeded synthetic workload,
 * then drains it with a pass-through job, the engine on RocksDB (checkpoints on, as deployed) and
 * the engine on the heap backend, one after another, and finally runs the engine at a fixed share
 * of its measured maximum to measure event-to-Redis latency. Prints a table, writes {@code
 * results.json} and PNG charts to the output directory.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark the engine on the embedded stack (in-JVM Kafka, Redis, local Flink): pre-fill Kafka with a seeded synthetic",
            "workload, drain it with 1. a pass-through job (Kafka -> Avro decode -> key by customer -> discard), 2. the engine on RocksDB",
            "(checkpoints on), 3. the engine on the HashMap backend; then 4. run the engine at a fixed share of its measured maximum and",
            "measure event-to-Redis latency. Prints a table, writes results.json and charts (PNG) to --output-dir.",
            "Flink's logs go to .personalize/personalize.log. A measurement, not a test: nothing is asserted."
        })
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Options the bench sets itself for each phase; --engine-option may not change them. */
    static final Set<String> OWNED_KEYS =
            Set.of(
                    EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(),
                    EngineOptions.KAFKA_GROUP_ID.key(),
                    EngineOptions.KAFKA_STARTING_OFFSETS.key(),
                    EngineOptions.REDIS_HOST.key(),
                    EngineOptions.REDIS_PORT.key(),
                    EngineOptions.REDIS_MODE.key(),
                    EngineOptions.STATE_BACKEND.key(),
                    EngineOptions.CHECKPOINT_DIR.key(),
                    EngineOptions.CHECKPOINT_INTERVAL.key(),
                    EngineOptions.JOB_PARALLELISM.key());

    @Option(
            names = "--events",
            defaultValue = "2000000",
            description = "Events to pre-fill and drain per phase (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--customers",
            defaultValue = "200000",
            description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--products",
            defaultValue = "50000",
            description = "Catalogue size (default: ${DEFAULT-VALUE}).")
    int products;

    @Option(
            names = "--categories",
            defaultValue = "100",
            description = "Product categories (default: ${DEFAULT-VALUE}).")
    int categories;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Workload seed: the same seed and sizes give the same events (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The shape of the simulated traffic; {@code --sessions} and {@code --span} override it. */
    enum WorkloadShape {
        /**
         * Thousands of shopping sessions at once, each a burst of clicks over a few minutes of
         * event time: what a busy store sees, and neither caching nor coalescing per customer is
         * flattered by it.
         */
        REALISTIC(2_000, null),
        /** The earlier benchmarks' backlog: 64 sessions at once, event times spread over 7 days. */
        UNIFORM(StorefrontSimulator.DEFAULT_OPEN_SESSIONS, Duration.ofDays(7));

        /**
         * Event-time rate of the realistic backlog: 2,000 open sessions advancing about once every
         * 20 s each, so a session of 10 to 20 clicks lasts a few minutes.
         */
        static final double REALISTIC_EVENTS_PER_SECOND = 100;

        final int sessions;
        private final Duration span;

        WorkloadShape(int sessions, Duration span) {
            this.sessions = sessions;
            this.span = span;
        }

        Duration span(long events) {
            return span != null
                    ? span
                    : Duration.ofMillis((long) (events * 1000 / REALISTIC_EVENTS_PER_SECOND));
        }
    }

    /** Accepts the shapes in any case, as written in the help: realistic, uniform. */
    static final class WorkloadShapeConverter implements CommandLine.ITypeConverter<WorkloadShape> {
        @Override
        public WorkloadShape convert(String value) {
            return WorkloadShape.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    @Option(
            names = "--workload",
            defaultValue = "realistic",
            converter = WorkloadShapeConverter.class,
            description =
                    "Traffic shape: realistic (2,000 interleaved sessions of a few minutes each, event times at 100 events/s) or uniform (64 sessions, event times spread over 7 days: the earlier benchmarks' backlog) (default: ${DEFAULT-VALUE}).")
    WorkloadShape workloadShape;

    @Option(
            names = "--sessions",
            description =
                    "Shopping sessions open at once (at most a quarter of the customers); overrides --workload's.")
    Integer sessions;

    @Option(
            names = "--span",
            converter = DurationConverter.class,
            description =
                    "Event times of the backlog are spread over this much time, ending now; overrides --workload's (realistic: events / 100 per second; uniform: 7d, so days roll over and timers fire).")
    Duration span;

    @Option(
            names = "--signals",
            description =
                    "Events besides clicks and orders in the backlog: realistic (catalog changes, 1 in 500 events; a fifth of the sessions start as guests who log in: identifications and identity merges; reviews of three orders in ten; attributes stated by half the customers) or none. Default: realistic with --workload realistic, none with uniform.")
    String signalsOption;

    /** The backlog the options describe. */
    Workload workload() {
        return new Workload(
                events,
                customers,
                products,
                categories,
                seed,
                span != null ? span : workloadShape.span(events),
                sessions != null ? sessions : workloadShape.sessions,
                signals());
    }

    /** {@code --signals}, or what the workload shape implies. */
    Workload.Signals signals() {
        String choice =
                signalsOption != null
                        ? signalsOption.trim().toLowerCase(Locale.ROOT)
                        : workloadShape == WorkloadShape.REALISTIC ? "realistic" : "none";
        return switch (choice) {
            case "realistic" -> Workload.Signals.REALISTIC;
            case "none" -> Workload.Signals.NONE;
            default ->
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "--signals must be realistic or none, was '" + signalsOption + "'");
        };
    }

    @Option(
            names = "--phases",
            defaultValue = "pass-through,rocksdb,hashmap,latency",
            description =
                    "Phases to run, comma-separated, always in this order: pass-through, rocksdb, hashmap, latency (or all) (default: ${DEFAULT-VALUE}).")
    String phases;

    @Option(
            names = "--output-dir",
            defaultValue = ".personalize/bench",
            description = "Where results.json and the charts go (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(
            names = "--latency-seconds",
            defaultValue = "60",
            description =
                    "Length of the measured part of the latency phase (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(
            names = "--latency-warmup",
            defaultValue = "15s",
            converter = DurationConverter.class,
            description =
                    "Traffic at the latency phase's rate before measuring starts (default: ${DEFAULT-VALUE}).")
    Duration latencyWarmup;

    @Option(
            names = "--latency-load",
            defaultValue = "0.7",
            description =
                    "Latency phase input rate as a share of the RocksDB phase's measured events/s (default: ${DEFAULT-VALUE}).")
    double latencyLoad;

    @Option(
            names = "--latency-rate",
            description =
                    "Latency phase input rate in events/s; overrides --latency-load (needed without the rocksdb phase).")
    Double latencyRate;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "Partitions of the clicks and orders topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "Checkpoint interval of every job; kept at 30s so runs compare with earlier ones; the engine's own default is 10s (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(
            names = {"-o", "--engine-option"},
            paramLabel = "KEY=VALUE",
            description =
                    "An engine option for every phase, e.g. -o redis.batch.max-delay=50ms (repeatable; see `personalize config docs`).")
    Map<String, String> engineOptions = new LinkedHashMap<>();

    @Option(
            names = {"-F", "--flink-option"},
            paramLabel = "KEY=VALUE",
            description =
                    "A Flink setting for every job, for experiments, e.g. -F execution.buffer-timeout.interval=10ms (repeatable).")
    Map<String, String> flinkOptions = new LinkedHashMap<>();

    @Option(
            names = "--phase-timeout",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description =
                    "Give up on a phase that has not drained the backlog after this long (default: ${DEFAULT-VALUE}).")
    Duration phaseTimeout;

    @Option(
            names = "--warm-up",
            description =
                    "Before the measured phases, let the engine (RocksDB) drain the backlog once,"
                            + " unmeasured: the phases then run compiled code instead of paying the"
                            + " JIT compiler (a quarter of the CPU of a one-minute drain). Figures"
                            + " are then steady-state ones and do not compare with cold runs"
                            + " (default: off).")
    boolean warmUp;

    @Option(
            names = "--keep-work",
            description =
                    "Keep the checkpoints and savepoint under OUTPUT-DIR/work (default: deleted).")
    boolean keepWork;

    private final PrintStream out = System.out;

    /**
     * Runs the bench on its own, as {@code java -cp ... io.p13n.cli.bench.BenchCommand [options]};
     * normally it runs as {@code ./personalize bench}.
     */
    public static void main(String[] args) {
        System.exit(
                new picocli.CommandLine(new BenchCommand())
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Phase> selected = Phase.parseList(phases);
        validate(selected);
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Path output = outputDir.toAbsolutePath();
        Path work = output.resolve("work");
        FileUtils.deleteDirectory(work.toFile());
        Files.createDirectories(work);
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Workload workload = workload();

        out.println("Starting the embedded stack (Kafka, Redis)...");
        // Closed last (declared first): the stack below is closed before the signal hook lets go.
        try (StopOnSignal stop = new StopOnSignal(out, Duration.ofSeconds(60));
                EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedRedis redis = EmbeddedRedis.start();
                RedisProbe probe = new RedisProbe(redis.host(), redis.port())) {
            Map<String, String> base = baseSettings(kafka, redis);
            EngineConfig baseConfig = EngineConfig.fromMap(base, Map.of());
            kafka.createTopics(
                    partitions,
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_ORDERS),
                    // the signals' topics (--signals), created either way: the engine reads them
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_CATALOG),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_IDENTITIES),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_REVIEWS),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_CUSTOMER_ATTRIBUTES));
            kafka.createTopics(
                    1,
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS),
                    baseConfig.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS));

            BenchResult.WorkloadResult workloadResult = prefill(workload, kafka, baseConfig);

            if (warmUp) {
                warmUp(base, work, workloadResult, probe, stop);
            }
            List<PhaseResult> results = new ArrayList<>();
            String savepoint = null;
            for (Phase phase : selected) {
                stop.check();
                if (phase == Phase.LATENCY) {
                    continue;
                }
                EngineConfig config = phaseConfig(base, phase, work, false);
                int restPort = freePort();
                out.printf(
                        "%s: %s on a local Flink cluster, dashboard http://localhost:%d%n",
                        phase.label(),
                        phase == Phase.PASS_THROUGH
                                ? "pass-through job"
                                : "the engine (" + phase.label() + ")",
                        restPort);
                ThroughputRun run = throughputRun(phase, config, workloadResult, probe, restPort);
                if (phase == Phase.ROCKSDB && selected.contains(Phase.LATENCY)) {
                    run.endWithSavepoint(work.resolve("savepoints"));
                }
                try {
                    results.add(run.run());
                    savepoint = phase == Phase.ROCKSDB ? run.savepointPath() : savepoint;
                } catch (Exception e) {
                    if (stop.signalled()) {
                        throw e;
                    }
                    out.println();
                    out.println(phase.label() + " failed: " + e);
                    results.add(
                            PhaseResult.failed(
                                    phase,
                                    phase == Phase.PASS_THROUGH ? null : phase.label(),
                                    String.valueOf(e)));
                }
            }
            results = withRatios(results);

            LatencyResult latency = null;
            stop.check();
            if (selected.contains(Phase.LATENCY)) {
                latency = latency(results, base, work, savepoint, workload, probe, redis);
            }

            BenchResult result =
                    new BenchResult(
                            BenchResult.FORMAT_VERSION,
                            startedAt,
                            environment(probe, redis),
                            new BenchResult.Settings(
                                    parallelism,
                                    partitions,
                                    ReportTable.human(checkpointInterval),
                                    Map.copyOf(engineOptions),
                                    Map.copyOf(flinkOptions),
                                    warmUp),
                            workloadResult,
                            results,
                            latency,
                            Targets.check(results, latency));
            Files.createDirectories(output);
            Path json = output.resolve("results.json");
            writeJson(result, json);
            List<Path> charts = BenchCharts.write(result, output);
            out.println();
            out.print(ReportTable.render(result));
            out.println();
            out.println("Results: " + json);
            charts.forEach(chart -> out.println("Chart:   " + chart));
            boolean failed =
                    results.stream().anyMatch(r -> !r.ok())
                            || (latency != null && !"ok".equals(latency.status()));
            return failed ? 1 : 0;
        } finally {
            if (!keepWork) {
                FileUtils.deleteDirectory(work.toFile());
            }
        }
    }

    private void validate(List<Phase> selected) {
        if (parallelism < 1 || partitions < 1) {
            throw new IllegalArgumentException("--parallelism and --partitions must be >= 1");
        }
        if (latencySeconds < 1) {
            throw new IllegalArgumentException("--latency-seconds must be >= 1");
        }
        if (!(latencyLoad > 0 && latencyLoad <= 1)) {
            throw new IllegalArgumentException(
                    "--latency-load must be in (0, 1], was " + latencyLoad);
        }
        if (latencyRate != null && !(latencyRate > 0)) {
            throw new IllegalArgumentException(
                    "--latency-rate must be positive, was " + latencyRate);
        }
        if (selected.contains(Phase.LATENCY)
                && !selected.contains(Phase.ROCKSDB)
                && latencyRate == null) {
            throw new IllegalArgumentException(
                    "the latency phase runs at a share of the rocksdb phase's rate: add rocksdb to --phases or give --latency-rate");
        }
        for (String key : engineOptions.keySet()) {
            if (OWNED_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "--engine-option "
                                + key
                                + " is set by the bench itself; use its own option if it has one");
            }
        }
    }

    private Map<String, String> baseSettings(EmbeddedKafka kafka, EmbeddedRedis redis) {
        Map<String, String> settings = new HashMap<>(engineOptions);
        settings.put(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        settings.put(EngineOptions.REDIS_HOST.key(), redis.host());
        settings.put(EngineOptions.REDIS_PORT.key(), Integer.toString(redis.port()));
        settings.put(EngineOptions.CHECKPOINT_INTERVAL.key(), checkpointInterval.toMillis() + "ms");
        settings.put(EngineOptions.JOB_PARALLELISM.key(), Integer.toString(parallelism));
        return settings;
    }

    /** A drain of the pre-filled backlog by {@code phase}'s job, with the bench's Flink options. */
    private ThroughputRun throughputRun(
            Phase phase,
            EngineConfig config,
            BenchResult.WorkloadResult workloadResult,
            RedisProbe probe,
            int restPort) {
        return new ThroughputRun(
                        phase,
                        config,
                        workloadResult.customerStageEvents(),
                        workloadResult.customersWithEvents(),
                        probe,
                        restPort,
                        phaseTimeout,
                        new ProgressLine(out))
                .withFlinkOptions(flinkOptions);
    }

    /**
     * One unmeasured drain of the backlog by the engine on RocksDB, with its own consumer group,
     * job name and checkpoints, so the measured phases start from compiled code. The next phase
     * empties Redis before it starts, as every phase does.
     */
    private void warmUp(
            Map<String, String> base,
            Path work,
            BenchResult.WorkloadResult workloadResult,
            RedisProbe probe,
            StopOnSignal stop)
            throws Exception {
        stop.check();
        Map<String, String> settings = new HashMap<>(base);
        settings.put(EngineOptions.KAFKA_GROUP_ID.key(), "p13n-bench-warm-up");
        settings.put(EngineOptions.KAFKA_STARTING_OFFSETS.key(), "earliest");
        settings.put(EngineOptions.STATE_BACKEND.key(), "rocksdb");
        settings.put(EngineOptions.JOB_NAME.key(), "p13n-bench-warm-up");
        settings.put(
                EngineOptions.CHECKPOINT_DIR.key(),
                work.resolve("checkpoints").resolve("warm-up").toUri().toString());
        int restPort = freePort();
        out.printf(
                "warm-up: the engine (rocksdb) drains the backlog once, unmeasured, dashboard"
                        + " http://localhost:%d%n",
                restPort);
        PhaseResult warm =
                throughputRun(
                                Phase.ROCKSDB,
                                EngineConfig.fromMap(settings, Map.of()),
                                workloadResult,
                                probe,
                                restPort)
                        .run();
        out.printf(
                Locale.ROOT,
                "warm-up: %,.0f ev/s (not reported; the phases below run warm)%n",
                warm.eventsPerSecond());
    }

    /**
     * The configuration of one phase: its own consumer group, state backend and checkpoint
     * directory.
     */
    static EngineConfig phaseConfig(
            Map<String, String> base, Phase phase, Path work, boolean startAtLatest) {
        Map<String, String> settings = new HashMap<>(base);
        settings.put(EngineOptions.KAFKA_GROUP_ID.key(), "p13n-bench-" + phase.label());
        settings.put(
                EngineOptions.KAFKA_STARTING_OFFSETS.key(), startAtLatest ? "latest" : "earliest");
        settings.put(
                EngineOptions.STATE_BACKEND.key(), phase == Phase.HASHMAP ? "hashmap" : "rocksdb");
        settings.put(
                EngineOptions.CHECKPOINT_DIR.key(),
                work.resolve("checkpoints").resolve(phase.label()).toUri().toString());
        return EngineConfig.fromMap(settings, Map.of());
    }

    private BenchResult.WorkloadResult prefill(
            Workload workload, EmbeddedKafka kafka, EngineConfig config) {
        ProgressLine line = new ProgressLine(out);
        EventTopics topics =
                new EventTopics(
                        config.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                        config.get(EngineOptions.KAFKA_TOPIC_ORDERS));
        long end = System.currentTimeMillis();
        Workload.Written written;
        try (Producer<String, byte[]> producer = Workload.bulkProducer(kafka.bootstrapServers())) {
            written =
                    workload.prefill(
                            producer,
                            topics,
                            end,
                            sent ->
                                    line.update(
                                            String.format(
                                                    "pre-fill     %,d / %,d events (%.0f%%)",
                                                    sent,
                                                    workload.events(),
                                                    100.0 * sent / workload.events())));
        }
        line.done(
                String.format(
                        "pre-fill     %,d events (%,d clicks, %,d orders, %,d catalog changes, %,d identifications, %,d other, %,d customers) in %.1f s, %,.0f ev/s, %.1f MiB of values",
                        written.events(),
                        written.clicks(),
                        written.orders(),
                        written.catalogChanges(),
                        written.identifications(),
                        written.otherSignals(),
                        written.distinctCustomers(),
                        written.seconds(),
                        written.eventsPerSecond(),
                        written.valueBytes() / 1048576.0));
        return new BenchResult.WorkloadResult(
                written.events(),
                written.clicks(),
                written.orders(),
                written.catalogChanges(),
                written.identifications(),
                written.otherSignals(),
                written.customerStageEvents(),
                workload.customers(),
                written.distinctCustomers(),
                workload.products(),
                workload.categories(),
                workload.seed(),
                workload.sessions(),
                ReportTable.human(workload.span()),
                Instant.ofEpochMilli(written.firstEventTime()).toString(),
                Instant.ofEpochMilli(written.lastEventTime()).toString(),
                written.valueBytes(),
                written.seconds(),
                written.eventsPerSecond());
    }

    /** Ratios to the pass-through rate, once it is known. */
    static List<PhaseResult> withRatios(List<PhaseResult> results) {
        PhaseResult passThrough = Targets.find(results, Phase.PASS_THROUGH);
        List<PhaseResult> out = new ArrayList<>(results.size());
        for (PhaseResult r : results) {
            out.add(
                    r.ok() && passThrough != null
                            ? r.withRatio(
                                    Rates.orNull(
                                            Rates.ratio(
                                                    r.eventsPerSecond(),
                                                    passThrough.eventsPerSecond())))
                            : r);
        }
        return out;
    }

    private LatencyResult latency(
            List<PhaseResult> results,
            Map<String, String> base,
            Path work,
            String savepoint,
            Workload workload,
            RedisProbe probe,
            EmbeddedRedis redis) {
        PhaseResult rocksdb = Targets.find(results, Phase.ROCKSDB);
        double rate;
        String basis;
        Double load = null;
        if (latencyRate != null) {
            rate = latencyRate;
            basis = "--latency-rate";
        } else if (rocksdb != null) {
            rate = latencyLoad * rocksdb.eventsPerSecond();
            load = latencyLoad;
            basis =
                    String.format(
                            Locale.ROOT,
                            "%.2f x rocksdb %,.0f ev/s",
                            latencyLoad,
                            rocksdb.eventsPerSecond());
        } else {
            return LatencyResult.failed(
                    "no rate: the rocksdb phase failed and no --latency-rate was given");
        }
        EngineConfig config = phaseConfig(base, Phase.LATENCY, work, savepoint == null);
        try {
            int restPort = freePort();
            out.printf(
                    "latency: the engine (rocksdb%s) at %,.0f ev/s, dashboard http://localhost:%d%n",
                    savepoint == null
                            ? ", empty state"
                            : ", state restored from the rocksdb phase's savepoint",
                    rate,
                    restPort);
            return new LatencyRun(
                            config,
                            savepoint,
                            workload,
                            rate,
                            load == null ? Double.NaN : load,
                            basis,
                            latencyWarmup,
                            Duration.ofSeconds(latencySeconds),
                            probe,
                            redis.host(),
                            redis.port(),
                            restPort,
                            new ProgressLine(out))
                    .withFlinkOptions(flinkOptions)
                    .run();
        } catch (Exception e) {
            out.println();
            out.println("latency failed: " + e);
            return LatencyResult.failed(String.valueOf(e));
        }
    }

    private static BenchResult.Environment environment(RedisProbe probe, EmbeddedRedis redis) {
        return new BenchResult.Environment(
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                probe.version() + " (" + redis.executable() + ")",
                EnvironmentInformation.getVersion());
    }

    static void writeJson(BenchResult result, Path file) throws IOException {
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), result);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
