package io.p13n.jobs.redis;

import java.io.Serializable;

/**
 * Maps a stream element to the Redis write it becomes; pure, so it is testable without Redis.
 *
 * <p>The sinks keep only the latest element per key within a batch and map it when the batch is
 * flushed, so {@link #toWrite} must produce the element's complete content (later elements
 * supersede earlier ones), and {@link #keyOf} should be cheap: it runs for every element.
 */
@FunctionalInterface
public interface RedisMapper<T> extends Serializable {
    RedisWrite toWrite(T element);

    /**
     * The key under which the sinks coalesce elements: by default the key {@link #toWrite} would
     * write; override it when mapping is costly. A mapper whose writes add to a key rather than
     * replace it ({@link RedisListPush}) returns a key per entry, so that no entry is dropped.
     */
    default String keyOf(T element) {
        return toWrite(element).key();
    }
}
