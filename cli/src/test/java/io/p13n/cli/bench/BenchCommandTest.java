package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.StartingOffsets;
import io.p13n.config.StateBackendKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options and per-phase configuration; nothing here starts Kafka, Redis or Flink. */
class BenchCommandTest {
    @Test
    void defaultsAreTheIssuesWorkload() {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs();
        assertThat(bench.events).isEqualTo(2_000_000);
        assertThat(bench.customers).isEqualTo(200_000);
        assertThat(bench.products).isEqualTo(50_000);
        assertThat(bench.seed).isEqualTo(42);
        assertThat(bench.workload().span()).isEqualTo(Duration.ofSeconds(20_000));
        assertThat(bench.workload().sessions()).isEqualTo(2_000);
        assertThat(Phase.parseList(bench.phases)).containsExactly(Phase.values());
        assertThat(bench.outputDir).isEqualTo(Path.of(".personalize/bench"));
        assertThat(bench.latencySeconds).isEqualTo(60);
        assertThat(bench.latencyLoad).isEqualTo(0.7);
        assertThat(bench.parallelism).isEqualTo(2);
        assertThat(bench.checkpointInterval).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theUniformWorkloadIsTheEarlierBacklogAndOptionsOverrideAShape() {
        BenchCommand uniform = new BenchCommand();
        new CommandLine(uniform).parseArgs("--workload", "Uniform");
        assertThat(uniform.workload().span()).isEqualTo(Duration.ofDays(7));
        assertThat(uniform.workload().sessions()).isEqualTo(64);

        BenchCommand custom = new BenchCommand();
        new CommandLine(custom).parseArgs("--events", "1000", "--sessions", "500", "--span", "1h");
        assertThat(custom.workload().span()).isEqualTo(Duration.ofHours(1));
        assertThat(custom.workload().sessions()).isEqualTo(500);
        BenchCommand realistic = new BenchCommand();
        new CommandLine(realistic).parseArgs("--events", "1000");
        // 100 events per second of event time
        assertThat(realistic.workload().span()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void optionsParse() {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench)
                .parseArgs(
                        "--events",
                        "300000",
                        "--customers",
                        "50000",
                        "--phases",
                        "rocksdb,latency",
                        "--span",
                        "2d",
                        "-o",
                        "redis.batch.max-delay=50ms",
                        "-F",
                        "execution.buffer-timeout.interval=10ms",
                        "--latency-rate",
                        "5000");
        assertThat(bench.events).isEqualTo(300_000);
        assertThat(bench.span).isEqualTo(Duration.ofDays(2));
        assertThat(bench.engineOptions).containsEntry("redis.batch.max-delay", "50ms");
        assertThat(bench.flinkOptions).containsEntry("execution.buffer-timeout.interval", "10ms");
        assertThat(bench.latencyRate).isEqualTo(5000.0);
    }

    @Test
    void anEngineOptionTheBenchSetsItselfIsRefused() {
        StringWriter err = new StringWriter();
        int exit =
                new CommandLine(new BenchCommand())
                        .setErr(new PrintWriter(err))
                        .execute(
                                "-o",
                                "state.backend=hashmap",
                                "--output-dir",
                                "target/bench-refused");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("state.backend is set by the bench itself");
    }

    @Test
    void latencyWithoutRocksdbNeedsARate() {
        StringWriter err = new StringWriter();
        int exit =
                new CommandLine(new BenchCommand())
                        .setErr(new PrintWriter(err))
                        .execute("--phases", "latency");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--latency-rate");
    }

    @Test
    void eachPhaseHasItsOwnGroupBackendAndCheckpointDirectory() {
        Map<String, String> base =
                Map.of(
                        EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(),
                        "localhost:9092",
                        "redis.batch.max-delay",
                        "50ms");
        Path work = Path.of("/tmp/bench-work");
        EngineConfig rocksdb = BenchCommand.phaseConfig(base, Phase.ROCKSDB, work, false);
        EngineConfig hashmap = BenchCommand.phaseConfig(base, Phase.HASHMAP, work, false);
        EngineConfig latency = BenchCommand.phaseConfig(base, Phase.LATENCY, work, true);
        assertThat(rocksdb.get(EngineOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.ROCKSDB);
        assertThat(hashmap.get(EngineOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.HASHMAP);
        assertThat(latency.get(EngineOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.ROCKSDB);
        assertThat(rocksdb.get(EngineOptions.KAFKA_GROUP_ID))
                .isNotEqualTo(hashmap.get(EngineOptions.KAFKA_GROUP_ID));
        assertThat(rocksdb.get(EngineOptions.KAFKA_STARTING_OFFSETS))
                .isEqualTo(StartingOffsets.EARLIEST);
        assertThat(latency.get(EngineOptions.KAFKA_STARTING_OFFSETS))
                .isEqualTo(StartingOffsets.LATEST);
        assertThat(rocksdb.get(EngineOptions.CHECKPOINT_DIR)).endsWith("/checkpoints/rocksdb");
        assertThat(rocksdb.get(EngineOptions.REDIS_BATCH_MAX_DELAY))
                .isEqualTo(Duration.ofMillis(50));
    }
}
