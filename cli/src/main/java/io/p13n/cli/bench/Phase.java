package io.p13n.cli.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** The phases of {@code personalize bench}, run in this order whatever order they are asked in. */
public enum Phase {
    /** Kafka, Avro decode, key by customer, discard: the framework's floor cost, no engine. */
    PASS_THROUGH("pass-through"),
    /** The real job on RocksDB with checkpoints, as deployed. */
    ROCKSDB("rocksdb"),
    /** The real job on the heap (HashMap) state backend. */
    HASHMAP("hashmap"),
    /** The real job on RocksDB at a fixed input rate: event-to-Redis latency. */
    LATENCY("latency");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * {@code pass-through,rocksdb,...} (any case, {@code _} for {@code -}, {@code all}) in run
     * order.
     */
    public static List<Phase> parseList(String text) {
        EnumSet<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String part : text.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all")) {
                phases.addAll(EnumSet.allOf(Phase.class));
                continue;
            }
            Phase found = null;
            for (Phase phase : values()) {
                if (phase.label.equals(name)
                        || (phase == PASS_THROUGH && name.equals("passthrough"))) {
                    found = phase;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException(
                        "unknown phase '"
                                + part.trim()
                                + "'; expected pass-through, rocksdb, hashmap, latency or all");
            }
            phases.add(found);
        }
        if (phases.isEmpty()) {
            throw new IllegalArgumentException(
                    "no phase given; expected pass-through, rocksdb, hashmap, latency or all");
        }
        return new ArrayList<>(phases);
    }
}
