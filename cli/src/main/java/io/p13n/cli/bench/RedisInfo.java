package io.p13n.cli.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Redis says it has done, from {@code INFO commandstats} and {@code INFO stats}: calls per
 * command and bytes received. The bench takes one before and one after a run; {@link #minus} gives
 * the run's share.
 *
 * @param calls calls per command name ({@code hset}, {@code pexpire}, {@code client|setinfo}, ...)
 * @param netInputBytes {@code total_net_input_bytes}: bytes clients sent to Redis
 * @param netOutputBytes {@code total_net_output_bytes}: bytes Redis sent to clients
 */
public record RedisInfo(Map<String, Long> calls, long netInputBytes, long netOutputBytes) {
    /**
     * Commands that are the bench's own bookkeeping or connection set-up, not the engine's writes:
     * they are left out of the commands per event.
     */
    static final Set<String> NOT_ENGINE_WRITES =
            Set.of(
                    "info",
                    "config",
                    "config|set",
                    "config|resetstat",
                    "flushall",
                    "dbsize",
                    "ping",
                    "hello",
                    "auth",
                    "select",
                    "client",
                    "client|setinfo",
                    "client|setname",
                    "psubscribe",
                    "punsubscribe",
                    "hget",
                    "scan",
                    "command",
                    "command|docs");

    /** Parses the text of {@code INFO commandstats} and {@code INFO stats} (either or both). */
    public static RedisInfo parse(String info) {
        Map<String, Long> calls = new TreeMap<>();
        long in = 0;
        long out = 0;
        for (String raw : info.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("cmdstat_")) {
                int colon = line.indexOf(':');
                String name = line.substring("cmdstat_".length(), colon);
                for (String field : line.substring(colon + 1).split(",")) {
                    if (field.startsWith("calls=")) {
                        calls.put(name, Long.parseLong(field.substring("calls=".length())));
                    }
                }
            } else if (line.startsWith("total_net_input_bytes:")) {
                in = Long.parseLong(line.substring(line.indexOf(':') + 1));
            } else if (line.startsWith("total_net_output_bytes:")) {
                out = Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        return new RedisInfo(Map.copyOf(calls), in, out);
    }

    /** This snapshot less an earlier one. */
    public RedisInfo minus(RedisInfo earlier) {
        Map<String, Long> delta = new TreeMap<>();
        calls.forEach(
                (name, count) -> {
                    long d = count - earlier.calls.getOrDefault(name, 0L);
                    if (d != 0) {
                        delta.put(name, d);
                    }
                });
        return new RedisInfo(
                delta,
                netInputBytes - earlier.netInputBytes,
                netOutputBytes - earlier.netOutputBytes);
    }

    /** Calls of every command except the bench's own bookkeeping ({@link #NOT_ENGINE_WRITES}). */
    public long engineCommands() {
        return calls.entrySet().stream()
                .filter(e -> !NOT_ENGINE_WRITES.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** Just the engine's commands, by name. */
    public Map<String, Long> engineCalls() {
        Map<String, Long> engine = new TreeMap<>(calls);
        engine.keySet().removeAll(NOT_ENGINE_WRITES);
        return engine;
    }
}
