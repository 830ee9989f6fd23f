package io.p13n.jobs.redis;

import java.io.Serializable;

/** Maps a stream element to the Redis hash it becomes; pure, so it is testable without Redis. */
@FunctionalInterface
public interface RedisHashMapper<T> extends Serializable {
  RedisHashWrite toHashWrite(T element);
}
