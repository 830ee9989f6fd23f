package io.p13n.cli.local;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server as a child process on a free port: the {@code redis-server} found on PATH if
 * there is one (so a newer distribution package wins), else the Redis 6.2 binary bundled with
 * embedded-redis. No persistence: it holds nothing that the engine cannot rewrite.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;
    private final String executable;

    private EmbeddedRedis(RedisServer server, int port, String executable) {
        this.server = server;
        this.port = port;
        this.executable = executable;
    }

    public static EmbeddedRedis start() throws IOException {
        return start(freePort());
    }

    public static EmbeddedRedis start(int port) throws IOException {
        Optional<File> onPath = redisServerOnPath();
        var builder =
                RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no");
        // Stop the child process even if the JVM exits without closing us (Ctrl-C, test crash).
        builder.onShutdownForceStop(true);
        if (onPath.isPresent()) {
            File binary = onPath.get();
            builder.executableProvider(() -> binary);
        }
        RedisServer server = builder.build();
        server.start();
        return new EmbeddedRedis(
                server, port, onPath.map(File::getPath).orElse("embedded-redis 6.2 binary"));
    }

    /**
     * The binary {@link #start()} runs, for callers that start {@code redis-server} processes of
     * their own (e.g. the nodes of a test cluster): the one on PATH, else the bundled Redis 6.2,
     * extracted to a temporary file.
     */
    public static File binary() throws IOException {
        Optional<File> onPath = redisServerOnPath();
        return onPath.isPresent()
                ? onPath.get()
                : ExecutableProvider.newJarResourceProvider().get();
    }

    static Optional<File> redisServerOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toFile());
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** Which binary runs: the one on PATH or the bundled one. */
    public String executable() {
        return executable;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
