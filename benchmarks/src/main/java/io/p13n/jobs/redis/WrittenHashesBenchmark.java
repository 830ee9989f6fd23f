package io.p13n.jobs.redis;

import io.p13n.jobs.profile.LifecycleRules;
import io.p13n.jobs.profile.ProfileRedisMapper;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.jobs.profile.ProfileUpdateBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * The profile sink's field deltas ({@link WrittenHashes}): digesting a warm profile's ~60 fields,
 * finding the ten a click changes, and the RESP bytes of that smaller HSET, next to the full HSET
 * it replaces ({@code io.p13n.bench.RedisEncodingBenchmark#encodeHsetAndPexpire}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WrittenHashesBenchmark {
    private static final String KEY = "p13n:profile:{c:bench}";

    private WrittenHashes written;
    private Map<String, String> next;
    private long[] nextDigests;
    private CommandObjects commands;
    private ByteArrayOutputStream bytes;
    private RedisOutputStream resp;

    @Setup
    public void setUp() {
        ProfileSettings settings = ProfileSettings.defaults();
        ProfileRedisMapper mapper =
                new ProfileRedisMapper(
                        new RedisKeys("p13n"), Duration.ofDays(30), Duration.ofDays(14));
        Map<String, String> before =
                mapper.toHashWrite(
                                ProfileUpdateBenchmark.warmProfile(
                                        settings, new LifecycleRules(settings)))
                        .fields();
        written = new WrittenHashes(() -> 0L);
        written.written(KEY, WrittenHashes.digests(before));
        // What a product view changes: view counters, last seen, recently viewed, categories...
        next = new LinkedHashMap<>(before);
        int changed = 0;
        for (Map.Entry<String, String> field : next.entrySet()) {
            if (changed < 10 && field.getKey().hashCode() % 6 == 0) {
                field.setValue(field.getValue() + "1");
                changed++;
            }
        }
        nextDigests = WrittenHashes.digests(next);
        commands = new CommandObjects(redis.clients.jedis.RedisProtocol.RESP2);
        bytes = new ByteArrayOutputStream(8192);
        resp = new RedisOutputStream(bytes, 8192);
        System.out.printf(
                "%n[redis] %d fields, %d changed, %d bytes of RESP for the delta HSET%n",
                next.size(), written.changed(KEY, next, nextDigests).size(), deltaBytes());
    }

    @Benchmark
    public long[] digests() {
        return WrittenHashes.digests(next);
    }

    @Benchmark
    public Map<String, String> digestsAndChangedFields() {
        return written.changed(KEY, next, WrittenHashes.digests(next));
    }

    /** RESP bytes of the delta HSET, as the pipeline writes it. */
    @Benchmark
    public int encodeDeltaHset() throws IOException {
        return deltaBytes();
    }

    private int deltaBytes() {
        try {
            bytes.reset();
            Protocol.sendCommand(
                    resp,
                    commands.hset(KEY, written.changed(KEY, next, nextDigests)).getArguments());
            resp.flush();
            return bytes.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
