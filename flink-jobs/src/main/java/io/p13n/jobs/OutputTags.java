package io.p13n.jobs;

import io.p13n.model.ChurnSignal;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.DeadLetter;
import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.SegmentChange;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Side outputs shared between the functions that emit them and the workflow that routes them. */
public final class OutputTags {
    private OutputTags() {}

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    public static final OutputTag<SegmentChange> SEGMENT_CHANGES =
            new OutputTag<>("segment-changes", new AvroTypeInfo<>(SegmentChange.class));

    public static final OutputTag<ChurnSignal> CHURN_SIGNALS =
            new OutputTag<>("churn-signals", new AvroTypeInfo<>(ChurnSignal.class));

    /** An item's popularity, for trending: at most one per item per coalesce interval. */
    public static final OutputTag<ItemPopularityUpdate> POPULARITY_UPDATES =
            new OutputTag<>(
                    "item-popularity-updates", new AvroTypeInfo<>(ItemPopularityUpdate.class));

    /** Every event that is not a duplicate, from the profile stage (which drops duplicates). */
    public static final OutputTag<CustomerEvent> UNIQUE_EVENTS =
            new OutputTag<>("unique-events", new AvroTypeInfo<>(CustomerEvent.class));

    /**
     * What the customer stage sends through the identity hand-off topic back to itself, keyed by
     * the receiving id: merged-away profiles (and refused ones going back), events still carrying a
     * merged-away id, and erasures of the ids merged into an erased customer.
     */
    public static final OutputTag<CustomerEvent> IDENTITY_HAND_OFFS =
            new OutputTag<>("identity-hand-offs", new AvroTypeInfo<>(CustomerEvent.class));

    /** Profiles whose offer-relevant facts changed (see CustomerProfileFunction#offerFacts). */
    public static final OutputTag<CustomerProfile> OFFER_PROFILES =
            new OutputTag<>("offer-profiles", new AvroTypeInfo<>(CustomerProfile.class));

    /**
     * Moments the customer stage sees in a customer's own events (a low rating, a search without an
     * order, a birthday, a signup anniversary), for the offer stage's campaigns.
     */
    public static final OutputTag<CustomerMoment> CUSTOMER_MOMENTS =
            new OutputTag<>("customer-moments", new AvroTypeInfo<>(CustomerMoment.class));
}
