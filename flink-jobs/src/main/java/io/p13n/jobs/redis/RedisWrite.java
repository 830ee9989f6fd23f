package io.p13n.jobs.redis;

/**
 * One idempotent Redis write: the result does not depend on how often it is applied, which is what
 * lets the sinks replay from a checkpoint. Every write that creates a key gives it a TTL, so Redis
 * stays bounded even for customers and products that never come back.
 */
public sealed interface RedisWrite permits RedisHashWrite, RedisValueWrite, RedisDelete {
    String key();

    /** Commands this write costs (for the commandsSent metric). */
    int commands();
}
