package io.p13n.cli.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the bench sets before each simulated event, so that a pre-filled backlog has realistic,
 * increasing event times, and live events carry exactly the time they are sent at. Not thread-safe:
 * one producer thread sets and reads it.
 */
final class ManualClock extends Clock {
    private long millis;

    ManualClock(long millis) {
        this.millis = millis;
    }

    void set(long millis) {
        this.millis = millis;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the bench clock is UTC only");
    }
}
