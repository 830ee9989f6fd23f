package io.p13n.jobs.profile;

import io.p13n.bench.Workloads;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OrderEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
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
 * The customer-profile function's own work per event, without Flink state or timers: folding the
 * event in ({@code CustomerProfileFunction.apply}) and re-assessing segment, churn score and next
 * deadline ({@link LifecycleRules#assess}, the BG/NBD model), as {@code processElement} does.
 *
 * <p>In package {@code io.p13n.jobs.profile} to reach the package-private {@code apply}. The
 * profile is a warm one (a dozen sessions, a few orders); each call moves event time on by a second
 * and cycles through 64 different events, so the bounded lists stay full and realistic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProfileUpdateBenchmark {
    private static final int EVENTS = 64;

    private ProfileSettings settings;
    private LifecycleRules rules;
    private CustomerProfile profile;
    private List<ClickEvent> views;
    private List<OrderEvent> orders;
    private long time;
    private int next;

    @Setup
    public void setUp() {
        settings = ProfileSettings.defaults();
        rules = new LifecycleRules(settings);
        profile = warmProfile(settings, rules);
        time = profile.getLastEventTime() + 60_000;
        Random random = new Random(7);
        views = new ArrayList<>(EVENTS);
        orders = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            views.add(
                    Workloads.click(
                            random,
                            "c0012345",
                            "sim42-s" + (i / 8),
                            ClickType.PRODUCT_VIEW,
                            time,
                            i));
            orders.add(Workloads.order(random, "c0012345", time, i));
        }
    }

    /** A customer after 12 sessions (about 120 events, 4 orders), folded in as the engine does. */
    public static CustomerProfile warmProfile(ProfileSettings settings, LifecycleRules rules) {
        CustomerProfile profile = CustomerProfile.newBuilder().setCustomerId("c0012345").build();
        for (SpecificRecordBase event :
                Workloads.history(42, "c0012345", 12, Workloads.T0 - 60L * 86_400_000L)) {
            long eventTime =
                    event instanceof ClickEvent click
                            ? click.getEventTime().toEpochMilli()
                            : ((OrderEvent) event).getEventTime().toEpochMilli();
            CustomerProfileFunction.apply(profile, event, eventTime, settings);
            assess(profile, rules, eventTime);
        }
        return profile;
    }

    private static LifecycleRules.Assessment assess(
            CustomerProfile profile, LifecycleRules rules, long now) {
        LifecycleRules.Assessment a = rules.assess(profile, now);
        profile.setSegment(a.segment());
        profile.setPAlive(a.pAlive());
        profile.setExpectedPurchases30d(a.expectedPurchases30d());
        profile.setChurnRisk(a.churnRisk());
        profile.setChurnReasons(a.reasons());
        profile.setScoredAt(now);
        return a;
    }

    @Benchmark
    public CustomerProfile applyProductView() {
        time += 1_000;
        CustomerProfileFunction.apply(profile, views.get(next++ & (EVENTS - 1)), time, settings);
        return profile;
    }

    @Benchmark
    public CustomerProfile applyOrder() {
        time += 1_000;
        CustomerProfileFunction.apply(profile, orders.get(next++ & (EVENTS - 1)), time, settings);
        return profile;
    }

    /** Segment, churn score (BG/NBD P(alive), expected purchases) and next deadline. */
    @Benchmark
    public LifecycleRules.Assessment assess() {
        time += 1_000;
        return rules.assess(profile, time);
    }

    /** A product view as processElement handles it, minus state access and timers. */
    @Benchmark
    public LifecycleRules.Assessment productViewThenAssess() {
        time += 1_000;
        CustomerProfileFunction.apply(profile, views.get(next++ & (EVENTS - 1)), time, settings);
        return assess(profile, rules, time);
    }

    /**
     * A click for a customer who has bought, assessed as clicks are now: reusing the BG/NBD score
     * of the last order or timer. Compare with {@link #productViewRescoringTheModel}, in the same
     * run.
     */
    @Benchmark
    public LifecycleRules.Assessment productViewReusingTheScore() {
        time += 1_000;
        CustomerProfileFunction.apply(profile, views.get(next++ & (EVENTS - 1)), time, settings);
        return rules.assess(profile, time, false);
    }

    /** The same click, re-scoring the model as every event did before. */
    @Benchmark
    public LifecycleRules.Assessment productViewRescoringTheModel() {
        time += 1_000;
        CustomerProfileFunction.apply(profile, views.get(next++ & (EVENTS - 1)), time, settings);
        return rules.assess(profile, time, true);
    }
}
