package io.p13n.jobs.redis;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where and how to connect to Redis: a standalone server or a cluster, with an optional ACL user,
 * password and TLS. Serializable so it ships with the sink to every task; the client itself is
 * built in the task ({@link #connect()}), never serialized.
 */
public final class RedisEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final List<String> clusterNodes;
    private final String user;
    private final String password;
    private final boolean tls;
    private final int timeoutMillis;

    private RedisEndpoint(
            String host,
            int port,
            List<String> clusterNodes,
            String user,
            String password,
            boolean tls,
            int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.clusterNodes = List.copyOf(clusterNodes);
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.timeoutMillis = timeoutMillis;
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException(
                    "timeoutMillis must be positive, was " + timeoutMillis);
        }
    }

    public static RedisEndpoint standalone(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        return new RedisEndpoint(host, port, List.of(), null, null, false, 2000);
    }

    /**
     * @param nodes seed nodes as host:port; the client discovers the rest of the cluster
     */
    public static RedisEndpoint cluster(List<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("a Redis cluster needs at least one seed node");
        }
        nodes.forEach(HostAndPort::from);
        return new RedisEndpoint(null, 0, nodes, null, null, false, 2000);
    }

    public RedisEndpoint withCredentials(String user, String password) {
        return new RedisEndpoint(host, port, clusterNodes, user, password, tls, timeoutMillis);
    }

    public RedisEndpoint withTls(boolean tls) {
        return new RedisEndpoint(host, port, clusterNodes, user, password, tls, timeoutMillis);
    }

    public RedisEndpoint withTimeoutMillis(int timeoutMillis) {
        return new RedisEndpoint(host, port, clusterNodes, user, password, tls, timeoutMillis);
    }

    public boolean isCluster() {
        return !clusterNodes.isEmpty();
    }

    /** Opens a pooled client; the caller closes it. */
    public UnifiedJedis connect() {
        JedisClientConfig config =
                DefaultJedisClientConfig.builder()
                        .user(user)
                        .password(password)
                        .ssl(tls)
                        .timeoutMillis(timeoutMillis)
                        .clientName("p13n-engine")
                        .build();
        if (isCluster()) {
            Set<HostAndPort> nodes =
                    clusterNodes.stream().map(HostAndPort::from).collect(Collectors.toSet());
            return RedisClusterClient.builder().nodes(nodes).clientConfig(config).build();
        }
        return RedisClient.builder().hostAndPort(host, port).clientConfig(config).build();
    }

    /** Where it points, without the password. */
    @Override
    public String toString() {
        String where = isCluster() ? "cluster " + clusterNodes : host + ":" + port;
        return "redis " + where + (user != null ? " as " + user : "") + (tls ? " (TLS)" : "");
    }
}
