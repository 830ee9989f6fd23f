package io.p13n.jobs.redis;

/** A {@link RedisMapper} whose elements become hashes (HSET of all fields, then PEXPIRE). */
@FunctionalInterface
public interface RedisHashMapper<T> extends RedisMapper<T> {
    RedisHashWrite toHashWrite(T element);

    @Override
    default RedisWrite toWrite(T element) {
        return toHashWrite(element);
    }

    @Override
    default String keyOf(T element) {
        return toHashWrite(element).key();
    }
}
