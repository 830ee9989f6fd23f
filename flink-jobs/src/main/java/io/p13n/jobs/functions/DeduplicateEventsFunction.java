package io.p13n.jobs.functions;

import io.p13n.model.CustomerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops events already seen for this customer; keyed by customer id.
 *
 * <p>Producers that retry, and replays of a topic, resend an event soon after the original and to
 * the same customer, so remembering each customer's last {@code windowSize} event identities catches
 * them without a state entry per event. The state is one fixed-size {@code long[]} per customer: the
 * 64-bit MurmurHash3 of each identity (chance of a false "duplicate" among 32 ids about 2^-59), plus a
 * write counter. That bounds it at {@code 8 * (windowSize + 1)} bytes per customer, and the TTL frees
 * it for customers who go quiet. A duplicate that arrives after {@code windowSize} newer events from
 * the same customer, or after the TTL, gets through; at 32 and a day that is far beyond any retry.
 */
public class DeduplicateEventsFunction extends KeyedProcessFunction<String, CustomerEvent, CustomerEvent> {
  private static final long serialVersionUID = 1L;

  /** State name: stable, renaming it drops the state on restore from a savepoint. */
  public static final String RECENT_EVENT_HASHES = "recent-event-hashes";

  private final int windowSize;
  private final Duration ttl;

  private transient ValueState<long[]> recent;
  private transient Counter duplicates;

  public DeduplicateEventsFunction(int windowSize, Duration ttl) {
    if (windowSize < 1) {
      throw new IllegalArgumentException("windowSize must be >= 1, was " + windowSize);
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    this.windowSize = windowSize;
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<long[]> descriptor =
        new ValueStateDescriptor<>(RECENT_EVENT_HASHES, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    descriptor.enableTimeToLive(
        KeyedStates.ttl(ttl));
    recent = getRuntimeContext().getState(descriptor);
    duplicates = getRuntimeContext().getMetricGroup().addGroup("p13n").counter("duplicateEvents");
  }

  @Override
  public void processElement(CustomerEvent event, Context ctx, Collector<CustomerEvent> out) throws Exception {
    long hash = hash(CustomerEvents.deduplicationKey(event));
    long[] ring = recent.value();
    if (ring == null || ring.length != windowSize + 1) {
      // First event of this customer, or the window size changed: start a fresh window.
      ring = new long[windowSize + 1];
    }
    // ring[0] counts ids ever written; slots 1..windowSize hold the most recent ones.
    long written = ring[0];
    int filled = (int) Math.min(written, windowSize);
    for (int i = 1; i <= filled; i++) {
      if (ring[i] == hash) {
        duplicates.inc();
        return;
      }
    }
    ring[1 + (int) (written % windowSize)] = hash;
    ring[0] = written + 1;
    recent.update(ring);
    out.collect(event);
  }

  static long hash(String identity) {
    return MurmurHash3.hash128x64(identity.getBytes(StandardCharsets.UTF_8))[0];
  }
}
