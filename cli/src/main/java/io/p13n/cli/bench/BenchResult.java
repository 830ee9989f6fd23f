package io.p13n.cli.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code personalize bench} measured, as written to {@code results.json}. Numbers
 * that could not be measured (a phase not run, no samples) are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchResult(
        int formatVersion,
        String startedAt,
        Environment environment,
        Settings settings,
        WorkloadResult workload,
        List<PhaseResult> phases,
        LatencyResult latency,
        List<TargetCheck> targets) {

    public static final int FORMAT_VERSION = 1;

    /** Where it ran. */
    public record Environment(
            int cores, long maxHeapBytes, String java, String redisServer, String flinkVersion) {}

    /** How the engine was set up for the run. */
    public record Settings(
            int parallelism,
            int partitions,
            String checkpointInterval,
            Map<String, String> engineOptions,
            Map<String, String> flinkOptions,
            boolean warmedUp) {}

    /** The pre-filled backlog. */
    public record WorkloadResult(
            long events,
            long clicks,
            long orders,
            long catalogChanges,
            long identifications,
            long otherSignals,
            long customerStageEvents,
            int customers,
            long customersWithEvents,
            int products,
            int categories,
            long seed,
            int openSessions,
            String eventTimeSpan,
            String firstEventTime,
            String lastEventTime,
            long valueBytes,
            double prefillSeconds,
            double prefillEventsPerSecond) {}

    /** One throughput phase: the backlog drained by a job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PhaseResult(
            String phase,
            String status,
            String error,
            String stateBackend,
            Long events,
            Double seconds,
            Double eventsPerSecond,
            Double steadyEventsPerSecond,
            Double ratioToPassThrough,
            Double startupSeconds,
            RedisUsage redis,
            CheckpointResult checkpoints,
            Double stateBytesPerCustomer,
            List<VertexResult> vertices,
            CpuUse cpu,
            List<double[]> timeline) {

        static PhaseResult failed(Phase phase, String stateBackend, String error) {
            return new PhaseResult(
                    phase.label(),
                    "failed",
                    error,
                    stateBackend,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        boolean ok() {
            return "ok".equals(status);
        }

        PhaseResult withRatio(Double ratio) {
            return new PhaseResult(
                    phase,
                    status,
                    error,
                    stateBackend,
                    events,
                    seconds,
                    eventsPerSecond,
                    steadyEventsPerSecond,
                    ratio,
                    startupSeconds,
                    redis,
                    checkpoints,
                    stateBytesPerCustomer,
                    vertices,
                    cpu,
                    timeline);
        }
    }

    /**
     * CPU use while a phase ran, as shares of all cores (0 to 1): this JVM, the whole machine, and
     * the difference, which other processes took.
     */
    public record CpuUse(double bench, double machine, double otherProcesses, int samples) {}

    /**
     * How a job vertex (a chain of operators, all its subtasks) spent the drain: records, and the
     * shares of time busy and back-pressured. The busiest vertex that is not back-pressured is the
     * bottleneck.
     */
    public record VertexResult(
            String name,
            long recordsIn,
            long recordsOut,
            Double busyShare,
            Double backPressuredShare) {}

    /** What the engine sent Redis during a phase, from INFO deltas. */
    public record RedisUsage(
            long commands,
            Double commandsPerEvent,
            long bytesIn,
            Double bytesInPerEvent,
            long bytesOut,
            long keys,
            Map<String, Long> byCommand) {}

    /** Checkpoints of a phase, from Flink's checkpoint statistics. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckpointResult(
            int completedWhileDraining,
            Double avgDurationMs,
            Long maxDurationMs,
            Long finalCheckpointId,
            Long finalDurationMs,
            Long finalStateBytes,
            Long finalCheckpointedBytes,
            List<VertexState> finalStateByVertex) {}

    /**
     * One vertex's share of the final checkpoint: which stage the state per customer is in
     * (customer-keyed stages against item- and category-keyed ones).
     */
    public record VertexState(String name, long stateBytes, long checkpointedBytes) {}

    /** The fixed-rate phase. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LatencyResult(
            String status,
            String error,
            Double targetEventsPerSecond,
            Double loadFraction,
            String rateBasis,
            Double achievedEventsPerSecond,
            Double seconds,
            Long eventsMeasured,
            Long eventsObserved,
            Double p50Ms,
            Double p99Ms,
            Double p999Ms,
            Double maxMs,
            Double meanMs,
            Long resolverMaxLagMs,
            Boolean restoredFromSavepoint,
            Long backlogAtEnd,
            List<VertexResult> vertices,
            CpuUse cpu,
            Integer checkpointsWhileMeasuring,
            Double p99OutsideCheckpointsMs,
            Double p999OutsideCheckpointsMs,
            String method,
            List<double[]> percentileCurve,
            Long listEventsMeasured,
            Long listEventsObserved,
            Double listP50Ms,
            Double listP99Ms,
            Double listP999Ms) {

        static LatencyResult failed(String error) {
            return new LatencyResult(
                    "failed", error, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null);
        }
    }

    /** A target of issue #6, measured against (never asserted). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TargetCheck(String target, String threshold, Double actual, Boolean met) {}
}
