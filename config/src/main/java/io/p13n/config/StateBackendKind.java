package io.p13n.config;

/**
 * Where Flink keeps keyed state. The lower-case names are the values of Flink's own {@code
 * state.backend.type} setting, so the job can pass {@code name().toLowerCase()} straight through.
 */
public enum StateBackendKind {
    /**
     * State in an embedded RocksDB on local disk. The default: the per-customer state of a real
     * store outgrows the heap, and only RocksDB supports incremental checkpoints.
     */
    ROCKSDB,

    /**
     * State as objects on the JVM heap. Faster per access, but bounded by memory and every
     * checkpoint is a full copy; for demos, tests and small catalogues.
     */
    HASHMAP
}
