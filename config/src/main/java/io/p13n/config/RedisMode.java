package io.p13n.config;

/** How the engine talks to Redis. */
public enum RedisMode {
    /**
     * One Redis server (or a primary behind a fixed address) at {@code redis.host}:{@code
     * redis.port}.
     */
    STANDALONE,

    /**
     * A Redis Cluster, discovered from the seed nodes in {@code redis.cluster.nodes}; {@code
     * redis.host} and {@code redis.port} are not used.
     */
    CLUSTER
}
