package io.p13n.cli.testing;

import io.p13n.cli.local.EmbeddedRedis;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@code redis-server} that speaks TLS only ({@code port 0}, a TLS port), with the default user
 * switched off, an {@code admin} user for the test's own checks, and the ACL users a test asks for.
 * Needs a {@code redis-server} built with TLS: {@link #binary()} prefers Debian's package, then one
 * on PATH, then the Redis 6.2 that embedded-redis bundles (built with TLS, but linked against the
 * system's {@code libssl.so.3}, so it runs only where OpenSSL 3 is installed). The configuration,
 * with the passwords, is a file in the test's directory, so no password shows in the process list.
 * {@link #close()} kills it.
 */
public final class LocalTlsRedis implements AutoCloseable {
    /** The address it listens on. */
    public static final String ADDRESS = "127.0.0.1";

    /** The name clients connect by: the only one its certificate should carry. */
    public static final String HOST = "localhost";

    public static final String ADMIN = "admin";

    /** Why a test that needs this cannot run, as its assumption says. */
    public static final String NEEDS =
            "not run: needs Debian's redis-server with TLS (apt-get install redis-server;"
                    + " .ci/run installs it)";

    private static final Duration STARTING = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;
    private final TestCertificates certs;
    private final String adminPassword;

    private LocalTlsRedis(
            Process process, int port, Path log, TestCertificates certs, String adminPassword) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.certs = certs;
        this.adminPassword = adminPassword;
    }

    /**
     * Debian's {@code /usr/bin/redis-server} if installed, else a {@code redis-server} on PATH,
     * else the bundled one; empty if none can be found. Whether it can serve TLS shows when it
     * starts.
     */
    public static Optional<File> binary() {
        File debian = new File("/usr/bin/redis-server");
        if (debian.canExecute()) {
            return Optional.of(debian);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, "redis-server");
                if (candidate.canExecute()) {
                    return Optional.of(candidate);
                }
            }
        }
        try {
            return Optional.of(EmbeddedRedis.binary());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts {@code binary} in {@code dir} on a free TLS port with the server certificate of {@code
     * certs}, and {@code users} as {@code user} directives (e.g. {@code "p13n on >pw ~p13n:*
     * +get"}).
     *
     * @throws NoTlsException if the binary cannot serve TLS (built without it, or its OpenSSL
     *     library is missing)
     */
    public static LocalTlsRedis start(
            File binary, Path dir, TestCertificates certs, List<String> users) throws Exception {
        Files.createDirectories(dir);
        String adminPassword = "admin-" + UUID.randomUUID();
        // A free port can be taken between our probe and Redis binding it: try another one then.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path conf = dir.resolve("redis-tls-" + port + ".conf");
            Path log = dir.resolve("redis-tls-" + port + ".log");
            List<String> lines = new ArrayList<>();
            lines.add("port 0");
            lines.add("bind " + ADDRESS);
            lines.add("tls-port " + port);
            lines.add("tls-cert-file " + certs.serverCertificatePem().toAbsolutePath());
            lines.add("tls-key-file " + certs.serverKeyPem().toAbsolutePath());
            lines.add("tls-ca-cert-file " + certs.caCertificatePem().toAbsolutePath());
            // Clients prove who they are with ACL passwords, not client certificates.
            lines.add("tls-auth-clients no");
            lines.add("dir " + dir.toAbsolutePath());
            lines.add("save \"\"");
            lines.add("appendonly no");
            lines.add("user default off");
            lines.add("user " + ADMIN + " on >" + adminPassword + " ~* &* +@all");
            for (String user : users) {
                lines.add("user " + user);
            }
            Files.write(conf, lines);
            Process process =
                    new ProcessBuilder(binary.getAbsolutePath(), conf.toAbsolutePath().toString())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            LocalTlsRedis redis = new LocalTlsRedis(process, port, log, certs, adminPassword);
            try {
                redis.awaitReady(binary);
                return redis;
            } catch (PortTakenException e) {
                redis.close();
                if (attempt >= 5) {
                    throw new IOException("no free port for redis-server after 5 tries", e);
                }
            } catch (Exception | Error e) {
                redis.close();
                throw e;
            }
        }
    }

    private void awaitReady(File binary) throws Exception {
        long deadline = System.nanoTime() + STARTING.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String output = Files.readString(log);
                if (output.contains("tls-port") || output.contains("TLS support")) {
                    throw new NoTlsException(
                            binary + " was built without TLS (" + log + "): " + NEEDS);
                }
                if (output.contains("error while loading shared libraries")) {
                    throw new NoTlsException(
                            binary + " cannot load its libraries (" + log + "): " + NEEDS);
                }
                if (output.contains("Address already in use")) {
                    throw new PortTakenException();
                }
                throw new AssertionError(
                        "redis-server exited at start, see " + log + ":\n" + output);
            }
            try (Jedis admin = admin()) {
                if ("PONG".equals(admin.ping())) {
                    return;
                }
            } catch (JedisException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "redis-server did not answer over TLS within " + STARTING + ", see " + log);
            }
            Thread.sleep(100);
        }
    }

    /** The binary cannot serve TLS: the test is skipped with {@link #NEEDS}. */
    public static final class NoTlsException extends Exception {
        NoTlsException(String message) {
            super(message);
        }
    }

    private static final class PortTakenException extends Exception {}

    /** A TLS connection as the all-powerful {@code admin} user, trusting the test CA; close it. */
    public Jedis admin() throws Exception {
        return new Jedis(
                new HostAndPort(HOST, port),
                DefaultJedisClientConfig.builder()
                        .user(ADMIN)
                        .password(adminPassword)
                        .ssl(true)
                        .sslSocketFactory(trustingTestCa())
                        .timeoutMillis(2000)
                        .build());
    }

    /** TLS sockets that trust the test CA alone. */
    public SSLSocketFactory trustingTestCa() throws Exception {
        TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(
                java.security.KeyStore.getInstance(
                        certs.trustStore().toFile(), certs.storePassword().toCharArray()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** The server's log, for failure messages. */
    public Path log() {
        return log;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            return socket.getLocalPort();
        }
    }

    /** Kills the server and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("redis-server on " + port + " survived SIGKILL");
        }
    }
}
