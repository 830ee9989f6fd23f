package io.p13n.jobs.offers;

import io.p13n.jobs.profile.LifecycleRules;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.jobs.profile.ProfileUpdateBenchmark;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OfferCustomerState;
import java.util.List;
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
 * The offer trigger's per-profile work ({@code OfferTriggerFunction.observe}), which runs on every
 * profile update the offer stage receives, without Flink state or the broadcast campaigns:
 * comparing the profile with the facts last seen and copying the new ones into the customer's offer
 * state.
 *
 * <p>In package {@code io.p13n.jobs.offers} to reach the package-private {@code observe}. The
 * profile is {@link ProfileUpdateBenchmark#warmProfile}'s; the state has seen it once (the
 * baseline), so {@link #observeNoMoment} is the common case: nothing changed that a campaign reacts
 * to. {@link #observeCartAbandonedMoment} flips the cart-abandoned signal on every call, so every
 * second call finds a moment (and formats its reason).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OfferTriggerBenchmark {
    private OfferSettings settings;
    private CustomerProfile profile;
    private OfferCustomerState state;

    @Setup
    public void setUp() {
        ProfileSettings profileSettings = ProfileSettings.defaults();
        profile =
                ProfileUpdateBenchmark.warmProfile(
                        profileSettings, new LifecycleRules(profileSettings));
        settings = OfferSettings.defaults();
        state = OfferCustomerState.newBuilder().setCustomerId(profile.getCustomerId()).build();
        OfferTriggerFunction.observe(state, profile, settings); // the baseline
    }

    @Benchmark
    public List<OfferTriggerFunction.Moment> observeNoMoment() {
        return OfferTriggerFunction.observe(state, profile, settings);
    }

    @Benchmark
    public List<OfferTriggerFunction.Moment> observeCartAbandonedMoment() {
        profile.setCartAbandonedSignalled(!profile.getCartAbandonedSignalled());
        return OfferTriggerFunction.observe(state, profile, settings);
    }
}
