package io.p13n.jobs.functions;

import io.p13n.bench.Workloads;
import io.p13n.jobs.profile.LifecycleRules;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The per-click work of the profile function for a customer who has bought: fold the click in,
 * then assess segment and churn, either re-scoring the BG/NBD model (what every event did before)
 * or reusing the score from the last order or timer (what clicks do now). Both in one run, so the
 * ratio holds on a noisy machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClickPathBenchmark {
  private static final int EVENTS = 64;

  private ProfileSettings settings;
  private LifecycleRules rules;
  private CustomerProfile profile;
  private List<ClickEvent> views;
  private long time;
  private int next;

  @Setup
  public void setUp() {
    settings = ProfileSettings.defaults();
    rules = new LifecycleRules(settings);
    profile = ProfileUpdateBenchmark.warmProfile(settings, rules);
    time = profile.getLastEventTime() + 60_000;
    Random random = new Random(7);
    views = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      views.add(Workloads.click(random, "c0012345", "sim42-s" + (i / 8), ClickType.PRODUCT_VIEW, time, i));
    }
  }

  @Benchmark
  public LifecycleRules.Assessment clickRescoringTheModel() {
    time += 1_000;
    CustomerProfileFunction.apply(profile, views.get(next++ & (EVENTS - 1)), time, settings);
    return rules.assess(profile, time, true);
  }

  @Benchmark
  public LifecycleRules.Assessment clickReusingTheScore() {
    time += 1_000;
    CustomerProfileFunction.apply(profile, views.get(next++ & (EVENTS - 1)), time, settings);
    return rules.assess(profile, time, false);
  }
}
