package io.p13n.jobs;

import io.p13n.model.SourceRecord;
import org.apache.flink.api.connector.source.Source;

/**
 * Customer-keyed event sources beyond clicks, orders and consents, each optional (null: the store
 * sends none): product reviews and ratings, and the attributes customers state about themselves.
 * Their records join the clicks and orders before the entrance stage, so they are de-duplicated,
 * erased, merged and ordered per customer like every other event.
 */
public record SignalSources(
        Source<SourceRecord, ?, ?> reviews, Source<SourceRecord, ?, ?> customerAttributes) {

    /** No reviews, no customer attributes. */
    public static final SignalSources NONE = new SignalSources(null, null);
}
