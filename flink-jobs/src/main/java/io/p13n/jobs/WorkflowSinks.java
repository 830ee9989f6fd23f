package io.p13n.jobs;

import io.p13n.model.ChurnSignal;
import io.p13n.model.CustomerProfile;
import io.p13n.model.DeadLetter;
import io.p13n.model.SegmentChange;
import org.apache.flink.api.connector.sink2.Sink;

/** Where the workflow's outputs go: real Redis and Kafka sinks in production, collecting ones in tests. */
public record WorkflowSinks(
    Sink<CustomerProfile> profiles,
    Sink<DeadLetter> deadLetters,
    Sink<SegmentChange> segmentChanges,
    Sink<ChurnSignal> churnSignals) {}
