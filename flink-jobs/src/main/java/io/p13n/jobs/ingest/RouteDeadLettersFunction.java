package io.p13n.jobs.ingest;

import io.p13n.jobs.OutputTags;
import io.p13n.model.CustomerEvent;
import io.p13n.model.SourceRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits decoded events as {@link CustomerEvent}s and sends dead letters to {@link
 * OutputTags#DEAD_LETTERS}; counts events in by type and dead letters by kind. Stateless. The
 * entrance of a workflow without erasure requests; {@link RouteAndSuppressErasedFunction} is the
 * one with them.
 */
public class RouteDeadLettersFunction extends ProcessFunction<SourceRecord, CustomerEvent> {
    private static final long serialVersionUID = 1L;

    private final io.p13n.config.Secret pseudonymizationKey;
    private transient EventRouter router;

    public RouteDeadLettersFunction() {
        this(null);
    }

    /** With customer ids replaced by their pseudonyms ({@code key} null: not). */
    public RouteDeadLettersFunction(io.p13n.config.Secret pseudonymizationKey) {
        this.pseudonymizationKey = pseudonymizationKey;
    }

    @Override
    public void open(OpenContext openContext) {
        router =
                new EventRouter(
                        getRuntimeContext().getMetricGroup().addGroup("p13n"),
                        pseudonymizationKey == null ? null : pseudonymizationKey.reveal());
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<CustomerEvent> out) {
        router.pseudonymize(record.getPayload());
        router.route(
                record.getPayload(), out, letter -> ctx.output(OutputTags.DEAD_LETTERS, letter));
    }
}
