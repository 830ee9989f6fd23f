package io.p13n.jobs.redis;

/**
 * One Redis write. All but {@link RedisListPush} are idempotent: the result does not depend on how
 * often they are applied, which is what lets the sinks replay from a checkpoint (a list push
 * replayed appears twice, within the list's cap). Every write that creates a key gives it a TTL, so
 * Redis stays bounded even for customers and products that never come back.
 */
public sealed interface RedisWrite
        permits RedisHashWrite, RedisValueWrite, RedisListPush, RedisDelete {
    String key();

    /** Commands this write costs (for the commandsSent metric). */
    int commands();
}
