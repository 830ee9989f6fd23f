package io.p13n.jobs.redis;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where and how to connect to Redis: a standalone server or a cluster, with an optional ACL user,
 * password and TLS. Serializable so it ships with the sink to every task; the client itself is
 * built in the task ({@link #connect()}), never serialized. So is the TLS trust: the endpoint holds
 * the trust store's path and password, and the task reads the file when it connects (the path must
 * exist where the tasks run).
 *
 * <p>With TLS the server's certificate must chain to the trust store (or the JVM's default one) and
 * name the host connected to: Jedis checks the host name as HTTPS does when no SSL parameters are
 * given, which is why none are.
 */
public final class RedisEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final List<String> clusterNodes;
    private final String user;
    private final String password;
    private final boolean tls;
    private final String trustStore;
    private final String trustStorePassword;
    private final int timeoutMillis;

    private RedisEndpoint(
            String host,
            int port,
            List<String> clusterNodes,
            String user,
            String password,
            boolean tls,
            String trustStore,
            String trustStorePassword,
            int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.clusterNodes = List.copyOf(clusterNodes);
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
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
        return new RedisEndpoint(host, port, List.of(), null, null, false, null, null, 2000);
    }

    /**
     * @param nodes seed nodes as host:port; the client discovers the rest of the cluster
     */
    public static RedisEndpoint cluster(List<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("a Redis cluster needs at least one seed node");
        }
        nodes.forEach(HostAndPort::from);
        return new RedisEndpoint(null, 0, nodes, null, null, false, null, null, 2000);
    }

    public RedisEndpoint withCredentials(String user, String password) {
        return new RedisEndpoint(
                host,
                port,
                clusterNodes,
                user,
                password,
                tls,
                trustStore,
                trustStorePassword,
                timeoutMillis);
    }

    public RedisEndpoint withTls(boolean tls) {
        return new RedisEndpoint(
                host,
                port,
                clusterNodes,
                user,
                password,
                tls,
                trustStore,
                trustStorePassword,
                timeoutMillis);
    }

    /**
     * TLS that trusts the CAs in the trust store at {@code path} (PKCS12 or JKS) instead of the
     * JVM's default ones.
     *
     * @param path the trust store, read on {@link #connect()}; null for the JVM's default
     * @param password its password, or null to read it without an integrity check
     */
    public RedisEndpoint withTrustStore(String path, String password) {
        if (path == null && password != null) {
            throw new IllegalArgumentException("a trust store password needs a trust store");
        }
        return new RedisEndpoint(
                host, port, clusterNodes, user, this.password, tls, path, password, timeoutMillis);
    }

    public RedisEndpoint withTimeoutMillis(int timeoutMillis) {
        return new RedisEndpoint(
                host,
                port,
                clusterNodes,
                user,
                password,
                tls,
                trustStore,
                trustStorePassword,
                timeoutMillis);
    }

    public boolean isCluster() {
        return !clusterNodes.isEmpty();
    }

    /**
     * Opens a pooled client; the caller closes it. Connections are made on first use, so a wrong
     * password or an untrusted certificate shows on the first command, not here; an unreadable
     * trust store shows here.
     *
     * @throws UncheckedIOException if the trust store cannot be read (the message names the file,
     *     never the password); IllegalStateException if it holds nothing usable
     */
    public UnifiedJedis connect() {
        return connect(clientConfig());
    }

    /**
     * The client settings {@link #connect()} uses: credentials, TLS with the trust store, timeouts.
     * For tools and tests that open a single connection the way the engine does.
     */
    public JedisClientConfig clientConfig() {
        DefaultJedisClientConfig.Builder config =
                DefaultJedisClientConfig.builder()
                        .user(user)
                        .password(password)
                        .ssl(tls)
                        .timeoutMillis(timeoutMillis)
                        .clientName("p13n-engine")
                        // No CLIENT SETINFO (library name and version) on connecting: an ACL user
                        // limited to the engine's commands would be refused it on every connection
                        // (Jedis ignores the reply, Redis logs it in ACL LOG), and the client name
                        // already says who is connected.
                        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (tls && trustStore != null) {
            // Jedis 8 deprecates ssl() and sslSocketFactory() for SslOptions, which this keeps
            // away from for now: it needs the store type spelled out (JKS or PKCS12) and is not
            // what the TLS tests exercise.
            config.sslSocketFactory(trustingSocketFactory());
        }
        return config.build();
    }

    private UnifiedJedis connect(JedisClientConfig config) {
        if (isCluster()) {
            Set<HostAndPort> nodes =
                    clusterNodes.stream().map(HostAndPort::from).collect(Collectors.toSet());
            return RedisClusterClient.builder().nodes(nodes).clientConfig(config).build();
        }
        return RedisClient.builder().hostAndPort(host, port).clientConfig(config).build();
    }

    /** TLS sockets that trust the CAs of {@link #trustStore}. */
    private SSLSocketFactory trustingSocketFactory() {
        char[] secret = trustStorePassword == null ? null : trustStorePassword.toCharArray();
        File file = Path.of(trustStore).toFile();
        if (!file.isFile()) {
            throw new UncheckedIOException(
                    "cannot read the Redis trust store "
                            + trustStore
                            + ": no such file (it must exist where the job's tasks run)",
                    new FileNotFoundException(trustStore));
        }
        try {
            // Detects PKCS12 or JKS from the file itself.
            KeyStore store = KeyStore.getInstance(file, secret);
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            // The JDK's messages ("keystore password was incorrect", "Failed PKCS12 integrity
            // checking") never quote the password; the second does not say it is the likely cause.
            String hint =
                    e.getCause() instanceof UnrecoverableKeyException
                            ? " (wrong redis.tls.truststore.password?)"
                            : "";
            throw new UncheckedIOException(
                    "cannot read the Redis trust store "
                            + trustStore
                            + ": "
                            + e.getMessage()
                            + hint,
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot use the Redis trust store " + trustStore + ": " + e, e);
        }
    }

    /** Where it points, without the password. */
    @Override
    public String toString() {
        String where = isCluster() ? "cluster " + clusterNodes : host + ":" + port;
        String security =
                !tls ? "" : trustStore == null ? " (TLS)" : " (TLS, trusting " + trustStore + ")";
        return "redis " + where + (user != null ? " as " + user : "") + security;
    }
}
