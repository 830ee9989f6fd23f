package io.p13n.jobs.functions;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * At most one publication per key per interval of event time. The first change after a quiet
 * interval goes out at once (leading edge: one click is visible in Redis within the sink's batch
 * delay, not an interval later); changes within the interval are folded into one publication when
 * it ends (trailing edge, an event-time timer, so bounded replays end with every list up to date).
 *
 * <p>Its state is one {@code Long} per key (when the next immediate publication is allowed), owned
 * by the calling function, which also owns the timers: a function using this must publish from
 * {@code onTimer} and call {@link #published}.
 */
final class PublishThrottle {
  private final ValueState<Long> nextAllowed;
  private final long intervalMillis;

  PublishThrottle(ValueState<Long> nextAllowed, long intervalMillis) {
    if (intervalMillis < 1) {
      throw new IllegalArgumentException("interval must be >= 1 ms, was " + intervalMillis);
    }
    this.nextAllowed = nextAllowed;
    this.intervalMillis = intervalMillis;
  }

  /** True: publish now. False: a publication at the end of the interval is scheduled. */
  boolean publishNow(long eventTime, TimerService timers) throws IOException {
    Long next = nextAllowed.value();
    if (next == null || eventTime >= next) {
      nextAllowed.update(eventTime + intervalMillis);
      return true;
    }
    // Registering the same timestamp again is a no-op in Flink: one timer per key and interval.
    timers.registerEventTimeTimer(next);
    return false;
  }

  /** A trailing publication happened at {@code time}. */
  void published(long time) throws IOException {
    nextAllowed.update(time + intervalMillis);
  }
}
