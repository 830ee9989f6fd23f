package io.p13n.jobs.functions;

import io.p13n.jobs.state.StateCaches;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * At most one publication per key per interval of wall-clock time. The first change after a quiet
 * interval goes out at once (leading edge: one click is visible in Redis within the sink's batch
 * delay); changes within the interval are folded into one publication when it ends (trailing edge,
 * a processing-time timer).
 *
 * <p>Wall-clock, not event time: when the job catches up on a backlog (a restart, a replay), a
 * key's events of hours arrive within seconds and are folded into one publication instead of one
 * per event; measured, event-time coalescing left the engine at a tenth of its former throughput on
 * a replay, because nearly every click was ranked and published. A pending publication also holds
 * an event-time timer at the end of time, so a bounded input (tests, a finite replay) ends with
 * every list up to date: Flink drops pending processing-time timers at end of input but fires
 * event-time ones on the final watermark. Whichever fires first deletes the other.
 *
 * <p>State per key: {@code [next immediate publication allowed (processing time), pending flag,
 * pending processing-time timer, latest event time]}, owned by the calling function, which also
 * owns the timers: it must pass every timer to {@link #onTimer} and publish when that says so.
 */
final class PublishThrottle {
    /** An event-time timer the watermark only reaches at the end of a bounded input. */
    static final long END_OF_INPUT = Long.MAX_VALUE - 1;

    private static final int NEXT = 0;
    private static final int PENDING = 1;
    private static final int TIMER = 2;
    private static final int EVENT_TIME = 3;

    private final ValueState<long[]> state;
    private final long intervalMillis;

    /** A throttle whose state is named {@code stateName} and expires with {@code ttl}. */
    static PublishThrottle open(
            RuntimeContext context,
            StateCaches caches,
            String stateName,
            Duration ttl,
            long intervalMillis) {
        return new PublishThrottle(
                caches.cache(
                        stateName,
                        KeyedStates.value(
                                context,
                                stateName,
                                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO,
                                ttl)),
                intervalMillis);
    }

    PublishThrottle(ValueState<long[]> state, long intervalMillis) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("interval must be >= 1 ms, was " + intervalMillis);
        }
        this.state = state;
        this.intervalMillis = intervalMillis;
    }

    /**
     * A change at {@code eventTime}. True: publish now. False: a publication at the end of the
     * interval is scheduled (or already was).
     */
    boolean publishNow(long eventTime, TimerService timers) throws IOException {
        long now = timers.currentProcessingTime();
        long[] s = state.value();
        if (s == null) {
            s = new long[4];
        }
        s[EVENT_TIME] = Math.max(s[EVENT_TIME], eventTime);
        if (now >= s[NEXT]) {
            if (s[PENDING] == 1) {
                cancelPending(s, timers);
            }
            s[NEXT] = now + intervalMillis;
            state.update(s);
            return true;
        }
        if (s[PENDING] == 0) {
            s[PENDING] = 1;
            s[TIMER] = s[NEXT];
            timers.registerProcessingTimeTimer(s[TIMER]);
            timers.registerEventTimeTimer(END_OF_INPUT);
        }
        state.update(s);
        return false;
    }

    /**
     * A timer of the calling function fired. Returns the event time to publish as of (the latest
     * change's), or -1 when there is nothing to publish (published meanwhile).
     */
    long onTimer(TimeDomain domain, TimerService timers) throws IOException {
        long[] s = state.value();
        if (s == null || s[PENDING] == 0) {
            return -1;
        }
        if (domain == TimeDomain.PROCESSING_TIME) {
            timers.deleteEventTimeTimer(END_OF_INPUT);
        } else {
            timers.deleteProcessingTimeTimer(s[TIMER]);
        }
        s[PENDING] = 0;
        s[NEXT] = timers.currentProcessingTime() + intervalMillis;
        state.update(s);
        return s[EVENT_TIME];
    }

    private void cancelPending(long[] s, TimerService timers) {
        timers.deleteProcessingTimeTimer(s[TIMER]);
        timers.deleteEventTimeTimer(END_OF_INPUT);
        s[PENDING] = 0;
    }
}
