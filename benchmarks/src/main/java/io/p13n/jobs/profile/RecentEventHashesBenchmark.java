package io.p13n.jobs.profile;

import java.nio.ByteBuffer;
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

/**
 * The de-duplication check the profile stage now does on every event ({@link RecentEventHashes}):
 * hashing the event identity and recording it in a full 32-entry window, the common case (a new
 * event of a customer with history), and the check that finds a duplicate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecentEventHashesBenchmark {
    private static final int WINDOW = 32;
    private static final long TTL = 86_400_000L;

    private ByteBuffer window;
    private long duplicate;
    private long next;

    @Setup
    public void setUp() {
        ByteBuffer w = null;
        for (int i = 0; i < WINDOW; i++) {
            w =
                    RecentEventHashes.record(
                            w, RecentEventHashes.hash("c:event-" + i), WINDOW, 1_000, TTL);
        }
        window = w;
        duplicate = RecentEventHashes.hash("c:event-" + (WINDOW - 1));
    }

    @Benchmark
    public ByteBuffer newEvent() {
        return RecentEventHashes.record(
                window, RecentEventHashes.hash("c:fresh-" + (next++ & 1023)), WINDOW, 2_000, TTL);
    }

    @Benchmark
    public ByteBuffer duplicateEvent() {
        return RecentEventHashes.record(window, duplicate, WINDOW, 2_000, TTL);
    }
}
