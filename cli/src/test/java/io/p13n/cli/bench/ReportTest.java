package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.bench.BenchResult.CheckpointResult;
import io.p13n.cli.bench.BenchResult.LatencyResult;
import io.p13n.cli.bench.BenchResult.PhaseResult;
import io.p13n.cli.bench.BenchResult.RedisUsage;
import io.p13n.cli.bench.BenchResult.TargetCheck;
import io.p13n.cli.bench.BenchResult.VertexResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table, the targets, the JSON and the charts, from a hand-made result. */
class ReportTest {
    static PhaseResult phase(
            Phase phase, double eventsPerSecond, Double commandsPerEvent, Double stateBytes) {
        RedisUsage redis =
                commandsPerEvent == null
                        ? null
                        : new RedisUsage(
                                1_000,
                                commandsPerEvent,
                                200_000,
                                200.0,
                                4_000,
                                900,
                                Map.of("hset", 500L, "pexpire", 500L));
        return new PhaseResult(
                phase.label(),
                "ok",
                null,
                phase == Phase.PASS_THROUGH ? null : phase.label(),
                100_000L,
                100_000 / eventsPerSecond,
                eventsPerSecond,
                eventsPerSecond,
                null,
                2.5,
                redis,
                new CheckpointResult(
                        3,
                        812.0,
                        1_500L,
                        7L,
                        240L,
                        5_000_000L,
                        80_000L,
                        List.of(
                                new BenchResult.VertexState(
                                        "Customer profile", 3_000_000L, 50_000L),
                                new BenchResult.VertexState("Similar items", 2_000_000L, 30_000L))),
                stateBytes,
                List.of(
                        new VertexResult(
                                "Drop duplicate events -> Update customer profile",
                                100_000,
                                100_000,
                                0.97,
                                0.0)),
                phase == Phase.ROCKSDB ? new BenchResult.CpuUse(0.6, 0.95, 0.35, 40) : null,
                List.of(new double[] {0, 10}, new double[] {1, eventsPerSecond}));
    }

    static BenchResult result() {
        List<PhaseResult> phases =
                BenchCommand.withRatios(
                        List.of(
                                phase(Phase.PASS_THROUGH, 100_000, null, null),
                                phase(Phase.ROCKSDB, 30_000, 0.2, 700.0),
                                PhaseResult.failed(
                                        Phase.HASHMAP,
                                        "hashmap",
                                        "java.lang.IllegalStateException: job FAILED")));
        LatencyResult latency =
                new LatencyResult(
                        "ok",
                        null,
                        21_000.0,
                        0.7,
                        "0.70 x rocksdb 30,000 ev/s",
                        20_990.0,
                        60.0,
                        1_259_400L,
                        1_259_400L,
                        40.0,
                        120.0,
                        180.0,
                        250.0,
                        45.0,
                        3L,
                        true,
                        0L,
                        List.of(),
                        null,
                        2,
                        60.0,
                        90.0,
                        LatencyRun.method(),
                        List.of(
                                new double[] {50, 40},
                                new double[] {99, 120},
                                new double[] {99.9, 180},
                                new double[] {100, 250}),
                        400_000L,
                        399_000L,
                        150.0,
                        420.0,
                        610.0);
        return new BenchResult(
                BenchResult.FORMAT_VERSION,
                "2026-11-23T10:00:00Z",
                new BenchResult.Environment(2, 3L << 30, "OpenJDK 17", "6.2.11", "2.2.1"),
                new BenchResult.Settings(2, 2, "30s", Map.of(), Map.of(), true),
                new BenchResult.WorkloadResult(
                        100_000,
                        97_000,
                        3_000,
                        0,
                        0,
                        0,
                        100_000,
                        1_000,
                        900,
                        500,
                        20,
                        42,
                        64,
                        "7d",
                        "a",
                        "b",
                        10_000_000,
                        1.5,
                        66_666),
                phases,
                latency,
                Targets.check(phases, latency));
    }

    @Test
    void ratiosAreToThePassThroughRate() {
        List<PhaseResult> phases = result().phases();
        assertThat(phases.get(0).ratioToPassThrough()).isEqualTo(1.0);
        assertThat(phases.get(1).ratioToPassThrough()).isEqualTo(0.3);
        assertThat(phases.get(2).ratioToPassThrough()).isNull();
    }

    @Test
    void targetsAreMetMissedOrNotMeasured() {
        List<TargetCheck> targets = result().targets();
        assertThat(targets)
                .extracting(TargetCheck::met)
                .containsExactly(true, null, true, false, true, true, true);
        assertThat(targets.get(0).actual()).isEqualTo(0.3);
        assertThat(targets.get(3).actual()).isEqualTo(120.0);
    }

    @Test
    void theTableHasARowPerPhaseTheLatencyLineAndTheTargets() {
        String table = ReportTable.render(result());
        assertThat(table)
                .contains(
                        "Workload: 100,000 events (97,000 clicks, 3,000 orders) from 1,000 customers (900 with events)")
                .contains("checkpoint every 30s")
                .contains("; warmed up (one unmeasured engine drain first)")
                .containsPattern(
                        "pass-through\\s+100,000\\s+1\\.00\\s+-\\s+-\\s+-\\s+3\\s+812 / 1,500\\s+240")
                .containsPattern("rocksdb\\s+30,000\\s+0\\.30\\s+0\\.200\\s+200\\s+700")
                .contains("hashmap       failed: java.lang.IllegalStateException: job FAILED")
                .contains("p50 40 ms  p99 120 ms  p99.9 180 ms  max 250 ms")
                .contains(
                        "product view to recommendation list: 400,000 views (399,000 seen in Redis): p50 150 ms  p99 420 ms  p99.9 610 ms")
                .contains(
                        "events sent away from the 2 checkpoint(s) (1 s either side): p99 60 ms  p99.9 90 ms")
                .containsPattern(
                        "engine \\(RocksDB\\) events/s vs pass-through\\s+>= 0.25\\s+0.300  met")
                .containsPattern(
                        "engine \\(HashMap\\) events/s vs pass-through\\s+>= 0.5\\s+-  not measured")
                .containsPattern("state bytes per active customer\\s+<= 1024\\s+700  met")
                .contains("97% /   0%")
                .contains("State in the final checkpoint, by vertex")
                .containsPattern("Customer profile\\s+3,000,000 /       50,000")
                .containsPattern("Similar items\\s+2,000,000 /       30,000")
                .contains(
                        "Warning: other processes used 35% of the machine's CPU during rocksdb (the bench 60%)")
                .doesNotContain("during pass-through");
        // every line of the phase table is as wide as its header
        String[] lines = table.split("\n");
        int header = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("phase ")) {
                header = i;
            }
        }
        assertThat(lines[header + 3]).hasSameSizeAs(lines[header]);
    }

    @Test
    void durationsAreWrittenTheWayTheyAreTyped() {
        assertThat(ReportTable.human(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(ReportTable.human(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(ReportTable.human(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(ReportTable.human(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(ReportTable.human(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void jsonHasTheDocumentedShapeAndNoNaN(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.json");
        BenchCommand.writeJson(result(), file);
        String text = Files.readString(file);
        assertThat(text).doesNotContain("NaN");
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.path("formatVersion").asInt()).isEqualTo(1);
        assertThat(json.path("workload").path("events").asLong()).isEqualTo(100_000);
        assertThat(json.path("phases")).hasSize(3);
        JsonNode rocksdb = json.path("phases").get(1);
        assertThat(rocksdb.path("phase").asText()).isEqualTo("rocksdb");
        assertThat(rocksdb.path("eventsPerSecond").asDouble()).isEqualTo(30_000);
        assertThat(rocksdb.path("redis").path("commandsPerEvent").asDouble()).isEqualTo(0.2);
        assertThat(rocksdb.path("redis").path("byCommand").path("hset").asLong()).isEqualTo(500);
        assertThat(rocksdb.path("checkpoints").path("finalStateBytes").asLong())
                .isEqualTo(5_000_000);
        assertThat(rocksdb.path("stateBytesPerCustomer").asDouble()).isEqualTo(700);
        JsonNode byVertex = rocksdb.path("checkpoints").path("finalStateByVertex");
        assertThat(byVertex).hasSize(2);
        assertThat(byVertex.get(0).path("name").asText()).isEqualTo("Customer profile");
        assertThat(byVertex.get(0).path("stateBytes").asLong()).isEqualTo(3_000_000);
        assertThat(rocksdb.path("timeline").get(1).get(1).asDouble()).isEqualTo(30_000);
        JsonNode failed = json.path("phases").get(2);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.has("eventsPerSecond")).isFalse();
        assertThat(json.path("latency").path("p99Ms").asDouble()).isEqualTo(120);
        assertThat(json.path("latency").path("percentileCurve")).hasSize(4);
        assertThat(json.path("targets").get(1).has("met")).isTrue();
        assertThat(json.path("targets").get(1).path("met").isNull()).isTrue();
    }

    @Test
    void chartsAreWrittenForWhatWasMeasured(@TempDir Path dir) throws Exception {
        List<Path> charts = BenchCharts.write(result(), dir);
        assertThat(charts)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("throughput.png", "drain.png", "latency.png");
        for (Path chart : charts) {
            byte[] bytes = Files.readAllBytes(chart);
            assertThat(bytes).hasSizeGreaterThan(1_000);
            assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("PNG");
        }
    }

    @Test
    void percentilesAreDrawnAsNines() {
        assertThat(BenchCharts.nines(90)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(BenchCharts.nines(99.9))
                .isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(BenchCharts.nines(100)).isEqualTo(4.5);
    }
}
