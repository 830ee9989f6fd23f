package io.p13n.cli.bench;

import redis.clients.jedis.Jedis;

/** The bench's own Redis connection: statistics, key counts, clean-up between phases. */
final class RedisProbe implements AutoCloseable {
    private final Jedis jedis;

    RedisProbe(String host, int port) {
        this.jedis = new Jedis(host, port);
    }

    RedisInfo info() {
        return RedisInfo.parse(jedis.info("commandstats") + "\n" + jedis.info("stats"));
    }

    long keys() {
        return jedis.dbSize();
    }

    String version() {
        for (String line : jedis.info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "unknown";
    }

    void flushAll() {
        jedis.flushAll();
    }

    /**
     * {@code K} keyspace events for {@code h}ash commands: one message per HSET, naming the key.
     */
    void notifyHashWrites(boolean on) {
        // h: HSET of profiles; $: SET of recommendation lists
        jedis.configSet("notify-keyspace-events", on ? "Kh$" : "");
    }

    @Override
    public void close() {
        jedis.close();
    }
}
