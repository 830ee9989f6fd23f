package io.p13n.config;

/**
 * Where the Kafka sources start reading when the job starts <em>without</em> restoring a checkpoint
 * or savepoint. When it restores one, the offsets stored in it win and this setting is not used.
 */
public enum StartingOffsets {
    /** From the oldest record still retained in each partition: rebuilds profiles from history. */
    EARLIEST,

    /** From the end of each partition: only events produced after the start are seen. */
    LATEST,

    /**
     * From the offsets last committed by the consumer group ({@code kafka.group-id}). For a
     * partition where the group has no committed offset yet (a new group, or offsets expired on the
     * broker), the source falls back to the <b>earliest</b> offset, so a first deployment does not
     * silently skip the history that is already in the topic. The default, because it resumes where
     * a previous run stopped even after a restart without a savepoint.
     */
    COMMITTED
}
