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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis Cluster of three masters, each with one replica: six {@code redis-server} processes (the
 * binary {@link EmbeddedRedis#binary()} finds) on free ports of 127.0.0.1, without persistence.
 * Formed with cluster commands over Jedis, so no {@code redis-cli} is needed: CLUSTER MEET,
 * ADDSLOTS (Redis 6.2 has no ADDSLOTSRANGE), REPLICATE. A 2 s node timeout and a replica validity
 * factor of 0 let a replica take over a killed master within a few seconds, however long its link
 * has been down. {@link #close()} kills every node.
 */
public final class LocalRedisCluster implements AutoCloseable {
    public static final int MASTERS = 3;
    public static final int SLOTS = 16384;
    private static final String HOST = "127.0.0.1";
    private static final Duration FORMING = Duration.ofSeconds(30);

    private final Path dir;

    /** Masters 0..2, then their replicas: node {@code MASTERS + m} replicates master {@code m}. */
    private final List<Integer> ports;

    private final List<Process> processes = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();

    private LocalRedisCluster(Path dir, List<Integer> ports) {
        this.dir = dir;
        this.ports = ports;
    }

    /**
     * Starts the six nodes in {@code dir} (configuration, nodes files, logs) and forms the cluster.
     */
    public static LocalRedisCluster start(Path dir) throws Exception {
        Files.createDirectories(dir);
        File binary = EmbeddedRedis.binary();
        LocalRedisCluster cluster = new LocalRedisCluster(dir, freePorts(2 * MASTERS));
        try {
            for (int port : cluster.ports) {
                cluster.processes.add(cluster.startNode(binary, port));
            }
            cluster.form();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private Process startNode(File binary, int port) throws IOException {
        Path conf = dir.resolve("redis-" + port + ".conf");
        Path absolute = dir.toAbsolutePath();
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "port " + port,
                        "bind " + HOST,
                        "dir " + absolute,
                        "save \"\"",
                        "appendonly no",
                        "cluster-enabled yes",
                        "cluster-config-file " + absolute.resolve("nodes-" + port + ".conf"),
                        "cluster-node-timeout 2000",
                        // A replica may be promoted however long ago it last heard from its master.
                        "cluster-replica-validity-factor 0",
                        // The initial sync streamed at once, not as an RDB file after a 5 s delay.
                        "repl-diskless-sync yes",
                        "repl-diskless-sync-delay 0",
                        ""));
        return new ProcessBuilder(binary.getAbsolutePath(), conf.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log(port).toFile())
                .start();
    }

    private void form() throws Exception {
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            Process process = processes.get(i);
            TestJobs.awaitTrue(
                    "redis-server on " + port + " to answer",
                    FORMING,
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(
                                    "redis-server on " + port + " exited, see " + log(port));
                        }
                        return ask(port, Jedis::ping).equals("PONG");
                    });
            ids.add(command(port, Jedis::clusterMyId));
        }
        for (int i = 1; i < ports.size(); i++) {
            int other = ports.get(i);
            command(ports.get(0), jedis -> jedis.clusterMeet(HOST, other));
        }
        for (int m = 0; m < MASTERS; m++) {
            int[] slots = IntStream.rangeClosed(firstSlot(m), lastSlot(m)).toArray();
            command(masterPort(m), jedis -> jedis.clusterAddSlots(slots));
        }
        // A node can only replicate a master it knows of.
        TestJobs.awaitTrue(
                "every node to know every other",
                FORMING,
                () -> everyNodeSees(flags -> !flags.contains("handshake"), ports.size()));
        for (int m = 0; m < MASTERS; m++) {
            String master = ids.get(m);
            command(replicaPort(m), jedis -> jedis.clusterReplicate(master));
        }
        // A failover needs the masters to know whose replica is whose (they vote on it), and the
        // replicas in sync with their masters.
        TestJobs.awaitTrue(
                "cluster_state:ok, three masters and three replicas in sync, on every node",
                FORMING,
                () ->
                        everyNodeSees(flags -> flags.contains("slave"), MASTERS)
                                && ports.stream().allMatch(this::clusterStateOk)
                                && IntStream.range(0, MASTERS)
                                        .allMatch(
                                                m ->
                                                        ask(replicaPort(m), Jedis::info)
                                                                .contains(
                                                                        "master_link_status:up")));
    }

    /** True if every node's CLUSTER NODES lists {@code count} nodes whose flags match. */
    private boolean everyNodeSees(Predicate<String> flags, int count) {
        for (int port : ports) {
            long matching =
                    ask(port, Jedis::clusterNodes)
                            .lines()
                            .map(line -> line.split(" "))
                            .filter(fields -> fields.length > 2 && flags.test(fields[2]))
                            .count();
            if (matching != count) {
                return false;
            }
        }
        return true;
    }

    /** Whether the node at {@code port} says cluster_state:ok (false if it does not answer). */
    public boolean clusterStateOk(int port) {
        return ask(port, Jedis::clusterInfo).contains("cluster_state:ok");
    }

    private Path log(int port) {
        return dir.resolve("redis-" + port + ".log");
    }

    /** First slot of master {@code m} as formed: a third of the slots each. */
    public static int firstSlot(int m) {
        return m * SLOTS / MASTERS;
    }

    /** Last slot of master {@code m} as formed. */
    public static int lastSlot(int m) {
        return (m + 1) * SLOTS / MASTERS - 1;
    }

    /** The master, 0..2, that was formed with {@code slot}. */
    public static int formedMasterOf(int slot) {
        for (int m = 0; m < MASTERS; m++) {
            if (slot >= firstSlot(m) && slot <= lastSlot(m)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no such slot: " + slot);
    }

    public int masterPort(int m) {
        return ports.get(m);
    }

    public int replicaPort(int m) {
        return ports.get(MASTERS + m);
    }

    /** Every node as host:port, comma-separated, for {@code redis.cluster.nodes}. */
    public String seedList() {
        return ports.stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
    }

    /** A cluster client seeded with the live nodes; the caller closes it. */
    public RedisClusterClient client() {
        Set<HostAndPort> live = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            if (processes.get(i).isAlive()) {
                live.add(new HostAndPort(HOST, ports.get(i)));
            }
        }
        return RedisClusterClient.create(live);
    }

    /** SIGKILL to master {@code m}: no shutdown, and no chance to replicate what it has not yet. */
    public void killMaster(int m) throws InterruptedException {
        kill(m);
    }

    /** SIGKILL to master {@code m}'s replica. */
    public void killReplica(int m) throws InterruptedException {
        kill(MASTERS + m);
    }

    private void kill(int node) throws InterruptedException {
        Process process = processes.get(node);
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("redis-server on " + ports.get(node) + " survived SIGKILL");
        }
    }

    /**
     * Waits until master {@code m}'s replica is a master and every live node says cluster_state:ok,
     * i.e. knows an owner that is up for every slot.
     */
    public void awaitFailover(int m, Duration timeout) throws InterruptedException {
        TestJobs.awaitTrue(
                "the replica of master " + m + " promoted, cluster_state:ok on every live node",
                timeout,
                () ->
                        ask(replicaPort(m), jedis -> jedis.info("replication"))
                                        .contains("role:master")
                                && IntStream.range(0, ports.size())
                                        .filter(i -> processes.get(i).isAlive())
                                        .allMatch(i -> clusterStateOk(ports.get(i))));
    }

    /** {@code query} on the node at {@code port}; "" if the node does not answer. */
    public String ask(int port, Function<Jedis, String> query) {
        try {
            return command(port, query);
        } catch (JedisException e) {
            return "";
        }
    }

    private static String command(int port, Function<Jedis, String> command) {
        try (Jedis jedis = new Jedis(HOST, port, 2000)) {
            return command.apply(jedis);
        }
    }

    /** Ports whose cluster bus port (port + 10000) is free as well. */
    private static List<Integer> freePorts(int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int tries = 0; ports.size() < count; tries++) {
            if (tries > 1000) {
                throw new IOException("no free port pairs for a Redis Cluster");
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                port = socket.getLocalPort();
            }
            if (port + 10000 <= 65535 && !ports.contains(port) && free(port + 10000)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills every node that is still running and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
