package io.p13n.cli.bench;

import io.p13n.cli.bench.BenchResult.CheckpointResult;
import io.p13n.cli.bench.BenchResult.PhaseResult;
import io.p13n.cli.bench.BenchResult.RedisUsage;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Drains the pre-filled topics with one job and measures it: the rate from the first record
 * arriving at the keyed vertex to the last (job start-up excluded), Redis commands and bytes per
 * event, checkpoint durations, and state size per customer from a checkpoint taken after the drain.
 */
final class ThroughputRun {
    /**
     * Half the metric fetcher's interval (BenchJobs): polling faster only reads the same counts.
     */
    private static final long POLL_MILLIS = 500;

    /** The steady rate leaves out the first fifth of the events (warm-up). */
    static final double STEADY_AFTER = 0.2;

    /** The pass-through drains in seconds: poll its exact counter more often. */
    private static final long PASS_THROUGH_POLL_MILLIS = 10;

    private final Phase phase;
    private final EngineConfig config;
    private final long expectedEvents;
    private final long customersWithState;
    private final RedisProbe redis;
    private final int restPort;
    private final Duration timeout;
    private final ProgressLine progress;
    private java.util.Map<String, String> flinkOptions = java.util.Map.of();

    /** Set when the run should end with a savepoint (for the latency phase to start from). */
    private Path savepointDir;

    private String savepointPath;

    /** Flink settings for experiments, set before the bench's own. */
    ThroughputRun withFlinkOptions(java.util.Map<String, String> options) {
        this.flinkOptions = java.util.Map.copyOf(options);
        return this;
    }

    ThroughputRun(
            Phase phase,
            EngineConfig config,
            long expectedEvents,
            long customersWithState,
            RedisProbe redis,
            int restPort,
            Duration timeout,
            ProgressLine progress) {
        this.phase = phase;
        this.config = config;
        this.expectedEvents = expectedEvents;
        this.customersWithState = customersWithState;
        this.redis = redis;
        this.restPort = restPort;
        this.timeout = timeout;
        this.progress = progress;
    }

    ThroughputRun endWithSavepoint(Path dir) {
        this.savepointDir = dir;
        return this;
    }

    /** The savepoint the run ended with, if asked for and taken. */
    String savepointPath() {
        return savepointPath;
    }

    PhaseResult run() throws Exception {
        boolean engine = phase != Phase.PASS_THROUGH;
        String backend =
                engine
                        ? config.get(EngineOptions.STATE_BACKEND).name().toLowerCase(Locale.ROOT)
                        : null;
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
                        BenchJobs.flinkConfiguration(config, restPort, null, flinkOptions));
        if (engine) {
            BenchJobs.defineEngine(env, config);
        } else {
            BenchJobs.definePassThrough(env, config);
        }
        String keyed = engine ? BenchJobs.ENGINE_KEYED : BenchJobs.DISCARD;

        redis.flushAll();
        RedisInfo redisBefore = redis.info();
        CountingDiscardSink.RECORDS.reset();
        long submitted = System.nanoTime();
        JobClient job = env.executeAsync(BenchJobs.jobName(config, phase));
        String jobId = job.getJobID().toHexString();
        FlinkRest rest = new FlinkRest(restPort);
        try {
            // Drain: from the first record at the keyed vertex to the last.
            long firstNanos = 0;
            long firstCount = 0;
            long endNanos = 0;
            long lastCount = 0;
            long lastPrint = 0;
            long lastRateNanos = submitted;
            long lastRateCount = 0;
            double recentRate = 0;
            List<double[]> timeline = new ArrayList<>();
            com.fasterxml.jackson.databind.JsonNode firstJob = null;
            com.fasterxml.jackson.databind.JsonNode lastJob = null;
            long lastRestNanos = 0;
            CpuSampler cpu = new CpuSampler();
            long lastTimelineNanos = 0;
            long deadline = submitted + timeout.toNanos();
            while (true) {
                FlinkRest.Progress p = new FlinkRest.Progress(0, 0, false, "starting");
                com.fasterxml.jackson.databind.JsonNode details = null;
                if (engine || System.nanoTime() - lastRestNanos > 250_000_000L) {
                    lastRestNanos = System.nanoTime();
                    if (firstNanos > 0) {
                        cpu.sample();
                    }
                    JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                    if (status.isGloballyTerminalState()) {
                        throw new IllegalStateException(
                                "job " + status + " before draining the backlog (see the log)");
                    }
                    try {
                        details = rest.job(jobId);
                        p = FlinkRest.progress(details, BenchJobs.SOURCES, keyed);
                    } catch (IOException e) {
                        // REST endpoint not up yet
                    }
                }
                if (!engine) {
                    // exact and live, where the REST counts are up to a fetch interval old
                    p =
                            new FlinkRest.Progress(
                                    p.sourceRecordsOut(),
                                    CountingDiscardSink.RECORDS.sum(),
                                    p.allRunning(),
                                    p.state());
                }
                long now = System.nanoTime();
                if (firstNanos == 0 && p.keyedRecordsIn() > 0) {
                    firstNanos = now;
                    firstCount = p.keyedRecordsIn();
                }
                if (firstNanos > 0 && firstJob == null) {
                    firstJob = details;
                }
                if (details != null) {
                    lastJob = details;
                }
                boolean drained = p.keyedRecordsIn() >= expectedEvents;
                if (firstNanos > 0
                        && p.keyedRecordsIn() != lastCount
                        && (drained || now - lastTimelineNanos >= 100_000_000L)) {
                    timeline.add(new double[] {(now - firstNanos) / 1e9, p.keyedRecordsIn()});
                    lastTimelineNanos = now;
                }
                lastCount = p.keyedRecordsIn();
                if (lastCount >= expectedEvents) {
                    endNanos = now;
                    break;
                }
                if (now > deadline) {
                    throw new IllegalStateException(
                            String.format(
                                    "timed out after %s with %,d of %,d events consumed",
                                    timeout, lastCount, expectedEvents));
                }
                if (now - lastPrint > 1_000_000_000L) {
                    if (firstNanos > 0) {
                        recentRate = Rates.perSecond(lastRateCount, lastRateNanos, lastCount, now);
                        lastRateCount = lastCount;
                        lastRateNanos = now;
                    }
                    progress.update(
                            String.format(
                                    "%-12s %s  %,d / %,d events (%.1f%%)  %,.0f ev/s",
                                    phase.label(),
                                    firstNanos == 0 ? "starting" : "draining",
                                    lastCount,
                                    expectedEvents,
                                    100.0 * lastCount / expectedEvents,
                                    recentRate));
                    lastPrint = now;
                }
                Thread.sleep(engine ? POLL_MILLIS : PASS_THROUGH_POLL_MILLIS);
            }
            double seconds = (endNanos - firstNanos) / 1e9;
            List<BenchResult.VertexResult> vertices = new ArrayList<>();
            if (firstJob != null && lastJob != null) {
                for (FlinkRest.VertexWork v : FlinkRest.work(firstJob, lastJob)) {
                    vertices.add(
                            new BenchResult.VertexResult(
                                    v.name(),
                                    v.recordsIn(),
                                    v.recordsOut(),
                                    Rates.orNull(v.busyShare()),
                                    Rates.orNull(v.backPressuredShare())));
                }
            }
            double rate = Rates.perSecond(firstCount, firstNanos, expectedEvents, endNanos);
            double startup = (firstNanos - submitted) / 1e9;
            progress.update(
                    String.format(
                            "%-12s drained %,d events in %.1f s: %,.0f ev/s; %s",
                            phase.label(),
                            expectedEvents,
                            seconds,
                            rate,
                            engine ? "flushing Redis, checkpointing..." : "stopping..."));

            RedisUsage redisUsage = null;
            CheckpointResult checkpoints;
            Double stateBytesPerCustomer = null;
            if (engine) {
                // The sink flushes on its batch timer (redis.batch.max-delay): let the last batch
                // go out.
                Thread.sleep(
                        Math.max(
                                1_000,
                                3 * config.get(EngineOptions.REDIS_BATCH_MAX_DELAY).toMillis()));
                RedisInfo delta = redis.info().minus(redisBefore);
                long commands = delta.engineCommands();
                redisUsage =
                        new RedisUsage(
                                commands,
                                Rates.orNull(Rates.perEvent(commands, expectedEvents)),
                                delta.netInputBytes(),
                                Rates.orNull(Rates.perEvent(delta.netInputBytes(), expectedEvents)),
                                delta.netOutputBytes(),
                                redis.keys(),
                                delta.engineCalls());
                long finalId = rest.triggerCheckpoint(jobId, Duration.ofMinutes(5));
                checkpoints = checkpoints(rest, jobId, finalId, endNanos, submitted);
                if (checkpoints.finalStateBytes() != null && customersWithState > 0) {
                    stateBytesPerCustomer =
                            (double) checkpoints.finalStateBytes() / customersWithState;
                }
            } else {
                checkpoints = checkpoints(rest, jobId, -1, endNanos, submitted);
            }

            if (savepointDir != null) {
                progress.update(
                        String.format(
                                "%-12s taking a savepoint for the latency phase...",
                                phase.label()));
                savepointPath =
                        job.stopWithSavepoint(
                                        false,
                                        savepointDir.toUri().toString(),
                                        SavepointFormatType.NATIVE)
                                .get(10, TimeUnit.MINUTES);
            }
            progress.done(
                    String.format(
                            "%-12s %,.0f ev/s (%,d events in %.1f s, start-up %.1f s excluded)",
                            phase.label(), rate, expectedEvents, seconds, startup));
            return new PhaseResult(
                    phase.label(),
                    "ok",
                    null,
                    backend,
                    expectedEvents,
                    seconds,
                    rate,
                    Rates.orNull(Rates.steadyRate(timeline, STEADY_AFTER)),
                    null,
                    startup,
                    redisUsage,
                    checkpoints,
                    stateBytesPerCustomer,
                    vertices,
                    cpu.result(),
                    timeline);
        } finally {
            stop(job);
        }
    }

    /**
     * Checkpoints completed while draining (not the final, triggered one) and the final one.
     * Statistics timestamps are wall-clock millis; the drain window is converted from nanos.
     */
    private static CheckpointResult checkpoints(
            FlinkRest rest, String jobId, long finalId, long endNanos, long submittedNanos)
            throws IOException, InterruptedException {
        List<FlinkRest.Checkpoint> done = FlinkRest.completed(rest.checkpoints(jobId));
        long endWallMillis =
                System.currentTimeMillis() - (System.nanoTime() - endNanos) / 1_000_000;
        List<Long> durations = new ArrayList<>();
        FlinkRest.Checkpoint last = null;
        for (FlinkRest.Checkpoint c : done) {
            if (c.id() == finalId) {
                last = c;
            } else if (!c.savepoint() && c.triggerTimestamp() <= endWallMillis) {
                durations.add(c.durationMillis());
            }
        }
        Double avg =
                durations.isEmpty()
                        ? null
                        : durations.stream().mapToLong(Long::longValue).average().orElse(0);
        Long max =
                durations.isEmpty()
                        ? null
                        : durations.stream().mapToLong(Long::longValue).max().orElse(0);
        return new CheckpointResult(
                durations.size(),
                avg,
                max,
                last == null ? null : last.id(),
                last == null ? null : last.durationMillis(),
                last == null ? null : last.stateSize(),
                last == null ? null : last.checkpointedSize(),
                last == null ? null : rest.stateByVertex(jobId, last.id()));
    }

    /** Cancels the job if it still runs, and waits for it (and its local cluster) to end. */
    static void stop(JobClient job) {
        try {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // already gone: the local cluster shuts down with its job
        }
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // cancelled or stopped jobs complete exceptionally; all that matters is that it ended
        }
    }
}
