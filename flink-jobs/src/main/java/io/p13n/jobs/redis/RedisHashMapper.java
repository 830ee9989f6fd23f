package io.p13n.jobs.redis;

import java.io.Serializable;

/**
 * Maps a stream element to the Redis hash it becomes; pure, so it is testable without Redis.
 *
 * <p>The sink keeps only the latest element per key within a batch and maps it when the batch is
 * flushed, so {@link #toHashWrite} must produce the element's complete hash (later elements
 * supersede earlier ones), and {@link #keyOf} should be cheap: it runs for every element.
 */
@FunctionalInterface
public interface RedisHashMapper<T> extends Serializable {
  RedisHashWrite toHashWrite(T element);

  /** The key {@link #toHashWrite} would write; override it when mapping is costly. */
  default String keyOf(T element) {
    return toHashWrite(element).key();
  }
}
