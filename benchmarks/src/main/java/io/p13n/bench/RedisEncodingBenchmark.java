package io.p13n.bench;

import io.p13n.jobs.profile.LifecycleRules;
import io.p13n.jobs.profile.ProfileRedisMapper;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.jobs.profile.ProfileUpdateBenchmark;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.CustomerProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
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
 * The Redis sink's per-profile work: {@link ProfileRedisMapper#toHashWrite} (about 60 fields
 * formatted as strings, on every profile the function emits) and the RESP encoding of the HSET and
 * PEXPIRE that a flushed batch sends for each coalesced key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisEncodingBenchmark {
    private ProfileRedisMapper mapper;
    private CustomerProfile profile;
    private RedisHashWrite write;
    private CommandObjects commands;
    private ByteArrayOutputStream bytes;
    private RedisOutputStream resp;

    @Setup
    public void setUp() throws IOException {
        ProfileSettings settings = ProfileSettings.defaults();
        profile = ProfileUpdateBenchmark.warmProfile(settings, new LifecycleRules(settings));
        mapper =
                new ProfileRedisMapper(
                        new RedisKeys("p13n"), Duration.ofDays(30), Duration.ofDays(14));
        write = mapper.toHashWrite(profile);
        commands = new CommandObjects(redis.clients.jedis.RedisProtocol.RESP2);
        bytes = new ByteArrayOutputStream(8192);
        resp = new RedisOutputStream(bytes, 8192);
        System.out.printf(
                "%n[redis] warm profile hash: %d fields, %d bytes of RESP per HSET+PEXPIRE%n",
                write.fields().size(), respBytes());
    }

    @Benchmark
    public RedisHashWrite toHashWrite() {
        return mapper.toHashWrite(profile);
    }

    /** RESP bytes of HSET key field value ... and PEXPIRE key ttl, as the pipeline writes them. */
    @Benchmark
    public int encodeHsetAndPexpire() throws IOException {
        return respBytes();
    }

    /** Both: what a flushed batch costs per key on the client side, before the network. */
    @Benchmark
    public int toHashWriteAndEncode() throws IOException {
        write = mapper.toHashWrite(profile);
        return respBytes();
    }

    private int respBytes() throws IOException {
        bytes.reset();
        Protocol.sendCommand(resp, commands.hset(write.key(), write.fields()).getArguments());
        Protocol.sendCommand(resp, commands.pexpire(write.key(), write.ttlMillis()).getArguments());
        resp.flush();
        return bytes.size();
    }
}
