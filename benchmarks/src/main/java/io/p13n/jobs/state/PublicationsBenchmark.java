package io.p13n.jobs.state;

import java.util.concurrent.TimeUnit;
import org.apache.flink.util.OutputTag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a throttled stage pays per change for {@link Publications}: one {@code changed} call, over
 * {@code keys} distinct keys (10: a burst on a few hot products; 50,000: one interval's changed
 * customers on a busy subtask), with the wall clock advancing 1 ms per 10 changes, so keys go
 * pending and are published by the ticks the benchmark runs as the operator would. In package
 * {@code io.p13n.jobs.state} to reach the package-private constructor and tick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublicationsBenchmark {
    @Param({"10", "50000"})
    public int keys;

    private Publications<String> publications;
    private String[] keyNames;
    private long now;
    private long due = Long.MAX_VALUE;
    private int next;
    private Object currentKey;
    private long emitted;

    @Setup
    public void setUp() {
        keyNames = new String[keys];
        for (int i = 0; i < keys; i++) {
            keyNames[i] = "customer-" + i;
        }
        Publications.Host host =
                new Publications.Host() {
                    @Override
                    public Object currentKey() {
                        return currentKey;
                    }

                    @Override
                    public void runAs(Object key, Publications.ThrowingRunnable action)
                            throws Exception {
                        currentKey = key;
                        action.run();
                    }

                    @Override
                    public long now() {
                        return now;
                    }

                    @Override
                    public void scheduleTick(long time) {
                        due = Math.min(due, time);
                    }
                };
        Publications.User<String> user =
                new Publications.User<>() {
                    @Override
                    public long publicationIntervalMillis() {
                        return 5_000;
                    }

                    @Override
                    public void usePublications(Publications<String> p) {}

                    @Override
                    public void publish(
                            Object payload, long eventTime, Publications.Emitter<String> out) {
                        out.collect("published");
                    }
                };
        Publications.Emitter<String> emitter =
                new Publications.Emitter<>() {
                    @Override
                    public void collect(String value) {
                        emitted++;
                    }

                    @Override
                    public <X> void output(OutputTag<X> tag, X value) {
                        emitted++;
                    }
                };
        publications = new Publications<>(host, user, 5_000, emitter);
    }

    @Benchmark
    public boolean changed() throws Exception {
        int i = next++;
        if (i % 10 == 0) {
            now++;
            if (now >= due) {
                due = Long.MAX_VALUE;
                publications.tick();
            }
        }
        currentKey = keyNames[i % keys];
        return publications.changed(now, null);
    }
}
