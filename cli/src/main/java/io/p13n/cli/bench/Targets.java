package io.p13n.cli.bench;

import io.p13n.cli.bench.BenchResult.LatencyResult;
import io.p13n.cli.bench.BenchResult.PhaseResult;
import io.p13n.cli.bench.BenchResult.TargetCheck;
import java.util.ArrayList;
import java.util.List;

/** The targets of issue #13, checked against the measurements: reported, never asserted. */
final class Targets {
    static final double ROCKSDB_RATIO = 0.25;
    static final double HASHMAP_RATIO = 0.5;
    static final double COMMANDS_PER_EVENT = 0.25;
    static final double P99_MS = 100;
    static final double LIST_P99_MS = 500;
    static final double STATE_BYTES_PER_CUSTOMER = 1024;
    static final double CHECKPOINT_MS = 2000;

    private Targets() {}

    static List<TargetCheck> check(List<PhaseResult> phases, LatencyResult latency) {
        PhaseResult rocksdb = find(phases, Phase.ROCKSDB);
        PhaseResult hashmap = find(phases, Phase.HASHMAP);
        List<TargetCheck> checks = new ArrayList<>();
        checks.add(
                atLeast(
                        "engine (RocksDB) events/s vs pass-through",
                        ROCKSDB_RATIO,
                        rocksdb == null ? null : rocksdb.ratioToPassThrough()));
        checks.add(
                atLeast(
                        "engine (HashMap) events/s vs pass-through",
                        HASHMAP_RATIO,
                        hashmap == null ? null : hashmap.ratioToPassThrough()));
        PhaseResult commandsFrom = rocksdb != null && rocksdb.redis() != null ? rocksdb : hashmap;
        checks.add(
                atMost(
                        "Redis commands per input event",
                        COMMANDS_PER_EVENT,
                        commandsFrom == null || commandsFrom.redis() == null
                                ? null
                                : commandsFrom.redis().commandsPerEvent()));
        checks.add(
                atMost(
                        "event-to-Redis p99 at ~70% load, ms",
                        P99_MS, latency == null ? null : latency.p99Ms()));
        checks.add(
                atMost(
                        "product view to recommendation list p99 at ~70% load, ms",
                        LIST_P99_MS, latency == null ? null : latency.listP99Ms()));
        PhaseResult stateFrom =
                rocksdb != null && rocksdb.stateBytesPerCustomer() != null ? rocksdb : hashmap;
        checks.add(
                atMost(
                        "state bytes per active customer",
                        STATE_BYTES_PER_CUSTOMER,
                        stateFrom == null ? null : stateFrom.stateBytesPerCustomer()));
        checks.add(
                atMost(
                        "checkpoint duration (RocksDB, avg while draining), ms",
                        CHECKPOINT_MS,
                        rocksdb == null || rocksdb.checkpoints() == null
                                ? null
                                : rocksdb.checkpoints().avgDurationMs()));
        return checks;
    }

    static PhaseResult find(List<PhaseResult> phases, Phase phase) {
        for (PhaseResult result : phases) {
            if (result.phase().equals(phase.label()) && result.ok()) {
                return result;
            }
        }
        return null;
    }

    private static TargetCheck atLeast(String what, double threshold, Double actual) {
        return new TargetCheck(
                what, ">= " + trim(threshold), actual, actual == null ? null : actual >= threshold);
    }

    private static TargetCheck atMost(String what, double threshold, Double actual) {
        return new TargetCheck(
                what, "<= " + trim(threshold), actual, actual == null ? null : actual <= threshold);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
