package io.p13n.jobs.testing;

import io.p13n.model.DeadLetter;
import io.p13n.model.DeadLetterKind;
import io.p13n.model.SourceRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** Bounded sources of {@link SourceRecord}s for workflow tests. */
public final class SourceRecords {
    private SourceRecords() {}

    public static SourceRecord of(Object payload) {
        return new SourceRecord(payload);
    }

    public static SourceRecord deadLetter(String topic, long offset, String reason) {
        return new SourceRecord(
                DeadLetter.newBuilder()
                        .setTopic(topic)
                        .setPartition(0)
                        .setOffset(offset)
                        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setKind(DeadLetterKind.UNDECODABLE)
                        .setReason(reason)
                        .build());
    }

    /** A source for a stream that has no events: one dead letter, which touches no profile. */
    public static Source<SourceRecord, ?, ?> nothing() {
        return boundedSource(
                List.of(
                        deadLetter(
                                "none", 0, "placeholder: this test has no events of this kind")));
    }

    /**
     * Emits the records in order (parallelism 1 keeps the order). Not empty: Flink's
     * DataGeneratorSource with a count of 0 still asks for element 0; use {@link #nothing()}.
     */
    public static Source<SourceRecord, ?, ?> boundedSource(List<SourceRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException(
                    "a bounded test source needs at least one record; use nothing()");
        }
        List<SourceRecord> copy = new ArrayList<>(records);
        return new DataGeneratorSource<>(
                index -> copy.get(index.intValue()),
                copy.size(),
                new AvroTypeInfo<>(SourceRecord.class));
    }

    /**
     * Like {@link #boundedSource} but at most {@code perSecond} records a second, for tests whose
     * later records must meet the results of earlier ones downstream (e.g. a ranking reading lists
     * that earlier clicks built): at a few records a second every stage has long caught up.
     */
    public static Source<SourceRecord, ?, ?> pacedSource(
            List<SourceRecord> records, double perSecond) {
        List<SourceRecord> copy = new ArrayList<>(records);
        return new DataGeneratorSource<>(
                index -> copy.get(index.intValue()),
                copy.size(),
                RateLimiterStrategy.perSecond(perSecond),
                new AvroTypeInfo<>(SourceRecord.class));
    }
}
