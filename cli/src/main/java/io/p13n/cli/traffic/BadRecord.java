package io.p13n.cli.traffic;

/**
 * A Kafka record value the engine must not accept, for the dead-letter demo, with the key to send
 * it under. The value array is owned by the record; equality is identity, as for any array.
 *
 * @param kind which check the value is meant to fail
 * @param key record key (a customer id; empty for an event whose customer id is empty)
 * @param value the raw value bytes
 */
public record BadRecord(Kind kind, String key, byte[] value) {

    /** The three ways a record can be unusable, matching the engine's dead-letter kinds. */
    public enum Kind {
        /** Random bytes that are not Avro single-object encoding at all. */
        GARBAGE,
        /**
         * A valid single-object header ({@code C3 01}) whose schema fingerprint no reader knows.
         */
        UNKNOWN_SCHEMA,
        /**
         * A well-formed {@code ClickEvent} that fails validation: empty customer id or negative
         * price.
         */
        INVALID_EVENT
    }
}
