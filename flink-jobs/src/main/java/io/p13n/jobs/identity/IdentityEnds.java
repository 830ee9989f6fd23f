package io.p13n.jobs.identity;

import io.p13n.model.CustomerEvent;
import io.p13n.model.SourceRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

/**
 * The ends of the identity merge (README, Identity merge): identifications in, and the hand-off
 * loop (what the customer stage writes to {@code handOffSink} must come back, committed, through
 * {@code handOffSource}: in production one Kafka topic written exactly once per checkpoint and read
 * committed; the loop is what carries a profile from one key to another).
 */
public record IdentityEnds(
        Source<SourceRecord, ?, ?> identifications,
        Source<CustomerEvent, ?, ?> handOffSource,
        Sink<CustomerEvent> handOffSink,
        IdentitySettings settings) {}
