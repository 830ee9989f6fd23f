package io.p13n.cli.traffic;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Holds a sender to a target rate by sleeping, not spinning: it checks the schedule once per small
 * batch (about 200 checks a second at most) and sleeps until the batch is due, in slices of at most
 * 100 ms so that a stop request is noticed quickly. When the sender falls more than a second behind
 * (a slow broker), the schedule restarts from now instead of bursting to catch up.
 */
final class RatePacer {
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKLOG_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final double CHECKS_PER_SECOND = 200;

    private final double nanosPerEvent;
    private final long batch;
    private long scheduleStart;
    private long counted;

    /**
     * @param eventsPerSecond target rate; 0 means no limit
     */
    RatePacer(double eventsPerSecond) {
        if (eventsPerSecond < 0 || Double.isNaN(eventsPerSecond)) {
            throw new IllegalArgumentException(
                    "rate must be 0 (unlimited) or positive, was " + eventsPerSecond);
        }
        this.nanosPerEvent = eventsPerSecond == 0 ? 0 : 1e9 / eventsPerSecond;
        this.batch = Math.max(1, Math.round(eventsPerSecond / CHECKS_PER_SECOND));
        this.scheduleStart = System.nanoTime();
    }

    /**
     * Counts one event sent and, at the end of a batch, sleeps until the schedule allows the next.
     * Returns early once {@code keepGoing} turns false.
     */
    void eventSent(BooleanSupplier keepGoing) throws InterruptedException {
        counted++;
        if (nanosPerEvent == 0 || counted % batch != 0) {
            return;
        }
        long now = System.nanoTime();
        long due = scheduleStart + (long) (counted * nanosPerEvent);
        if (now - due > MAX_BACKLOG_NANOS) {
            scheduleStart = now - (long) (counted * nanosPerEvent);
            return;
        }
        while (due - now > 0 && keepGoing.getAsBoolean()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(due - now, MAX_SLEEP_NANOS));
            now = System.nanoTime();
        }
    }
}
