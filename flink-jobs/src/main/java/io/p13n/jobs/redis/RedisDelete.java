package io.p13n.jobs.redis;

/** Removes a key whose content no longer exists (for example the last active offer expired). */
public record RedisDelete(String key) implements RedisWrite {
    public RedisDelete {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
    }

    @Override
    public int commands() {
        return 1;
    }
}
