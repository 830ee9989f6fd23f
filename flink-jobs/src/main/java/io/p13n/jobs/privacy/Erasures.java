package io.p13n.jobs.privacy;

import io.p13n.model.ChurnSignal;
import io.p13n.model.CustomerProfile;
import io.p13n.model.SegmentChange;
import java.time.Instant;

/**
 * What an erasure sends down the customer stage's outputs: a profile marked erased (every stage
 * after it forgets the customer, the profile sink deletes the hash), and a tombstone for each
 * customer-keyed output topic. A tombstone travels as a record with a reserved id through the same
 * sink as the topic's other records, so it is produced after them (one producer, one partition per
 * customer) and the sink's serializer writes it as a null value (Kafka's tombstone: on a compacted
 * topic the customer's earlier records go at the next compaction).
 */
public final class Erasures {
    private Erasures() {}

    /**
     * Request id prefix of the erasures an identity merge sends for the id merged away: its state
     * and keys go, but it is not a data subject's request (stages that would pay a scan of all
     * their keys for a real erasure may skip these).
     */
    public static final String MERGE_PREFIX = "merge:";

    /** An erasure sent by an identity merge, not asked for by the customer. */
    public static boolean fromMerge(io.p13n.model.Erasure erasure) {
        return erasure.getRequestId().startsWith(MERGE_PREFIX);
    }

    /** The profile that tells the stages after the customer stage to forget {@code customerId}. */
    public static CustomerProfile erasedProfile(String customerId) {
        return CustomerProfile.newBuilder().setCustomerId(customerId).setErased(true).build();
    }

    /** A real change id is {@code customer:time:from>to}: never this. */
    private static String tombstoneId(String customerId) {
        return customerId + ":erased";
    }

    public static SegmentChange segmentTombstone(String customerId) {
        return SegmentChange.newBuilder()
                .setChangeId(tombstoneId(customerId))
                .setCustomerId(customerId)
                .setEventTime(Instant.EPOCH)
                .build();
    }

    public static boolean isTombstone(SegmentChange change) {
        return change.getChangeId().equals(tombstoneId(change.getCustomerId()));
    }

    public static ChurnSignal churnTombstone(String customerId) {
        return ChurnSignal.newBuilder()
                .setSignalId(tombstoneId(customerId))
                .setCustomerId(customerId)
                .setEventTime(Instant.EPOCH)
                .build();
    }

    public static boolean isTombstone(ChurnSignal signal) {
        return signal.getSignalId().equals(tombstoneId(signal.getCustomerId()));
    }
}
