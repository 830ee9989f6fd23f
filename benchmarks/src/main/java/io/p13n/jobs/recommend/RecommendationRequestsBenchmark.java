package io.p13n.jobs.recommend;

import io.p13n.jobs.profile.LifecycleRules;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.jobs.profile.ProfileUpdateBenchmark;
import io.p13n.model.CustomerProfile;
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
 * The digest the ranking-request coalescer computes for every profile update ({@code
 * RecommendationRequestsFunction.fingerprint}: recent items, cart, purchases, categories), on
 * {@link ProfileUpdateBenchmark#warmProfile}'s profile. In package {@code io.p13n.jobs.recommend}
 * to reach the package-private method.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecommendationRequestsBenchmark {
    private CustomerProfile profile;

    @Setup
    public void setUp() {
        ProfileSettings settings = ProfileSettings.defaults();
        profile = ProfileUpdateBenchmark.warmProfile(settings, new LifecycleRules(settings));
    }

    @Benchmark
    public long fingerprint() {
        return RecommendationRequestsFunction.fingerprint(profile);
    }
}
