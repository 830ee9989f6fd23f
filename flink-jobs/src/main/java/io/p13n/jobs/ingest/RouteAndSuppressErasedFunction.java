package io.p13n.jobs.ingest;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.privacy.ErasedIds;
import io.p13n.model.CustomerEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.Erasure;
import io.p13n.model.ErasureRequest;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.SourceRecord;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entrance stage with erasure requests (broadcast, so every subtask sees each one): routes
 * events and dead letters like {@link RouteDeadLettersFunction}, and drops every event of an erased
 * customer for {@code privacy.erasure.suppression-period} ({@link ErasedIds}), so that late events
 * and replays of the input topics do not bring the customer back.
 *
 * <p>On a request each subtask adds the id to its list and then sends one {@link Erasure} copy
 * downstream, keyed by the customer. Channels keep order, so a subtask's copy follows every event
 * of the customer it forwarded and precedes none: once the customer stage has all copies (one per
 * subtask), nothing of the customer is left upstream of it.
 */
public class RouteAndSuppressErasedFunction
        extends BroadcastProcessFunction<SourceRecord, SourceRecord, CustomerEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RouteAndSuppressErasedFunction.class);

    private final long suppressionMillis;
    private final int maxSuppressed;
    private final io.p13n.config.Secret pseudonymizationKey;

    private transient EventRouter router;
    private transient Counter suppressedEvents;
    private transient Counter erasures;
    private transient Counter evicted;
    // False only while this subtask knows its list is empty (the usual case): no hash per event.
    private transient boolean mayHoldErased;

    public RouteAndSuppressErasedFunction(Duration suppressionPeriod, int maxSuppressed) {
        this(suppressionPeriod, maxSuppressed, null);
    }

    /** With customer ids replaced by their pseudonyms ({@code key} null: not). */
    public RouteAndSuppressErasedFunction(
            Duration suppressionPeriod,
            int maxSuppressed,
            io.p13n.config.Secret pseudonymizationKey) {
        this.pseudonymizationKey = pseudonymizationKey;
        if (suppressionPeriod.isNegative() || suppressionPeriod.isZero()) {
            throw new IllegalArgumentException(
                    "suppression period must be positive, was " + suppressionPeriod);
        }
        if (maxSuppressed < 1) {
            throw new IllegalArgumentException("maxSuppressed must be >= 1, was " + maxSuppressed);
        }
        this.suppressionMillis = suppressionPeriod.toMillis();
        this.maxSuppressed = maxSuppressed;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        router =
                new EventRouter(
                        group, pseudonymizationKey == null ? null : pseudonymizationKey.reveal());
        suppressedEvents = group.counter("eventsOfErasedCustomersDropped");
        erasures = group.counter("erasureRequests");
        evicted = group.counter("erasureSuppressionsEvicted");
        mayHoldErased = true; // a restored list is not visible here; the first event finds out
    }

    @Override
    public void processElement(
            SourceRecord record, ReadOnlyContext ctx, Collector<CustomerEvent> out)
            throws Exception {
        Object payload = record.getPayload();
        router.pseudonymize(payload);
        String customer = EventRouter.customerIdOf(payload);
        if (customer != null && mayHoldErased) {
            var list = ctx.getBroadcastState(ErasedIds.DESCRIPTOR);
            if (!list.immutableEntries().iterator().hasNext()) {
                mayHoldErased = false;
            } else if (ErasedIds.suppressed(list, customer, ctx.currentProcessingTime())
                    || (payload instanceof IdentifyEvent identify
                            && ErasedIds.suppressed(
                                    list, identify.getCustomerId(), ctx.currentProcessingTime()))) {
                // an identification of an erased id, on either side, would bring it back
                suppressedEvents.inc();
                return;
            }
        }
        router.route(payload, out, letter -> ctx.output(OutputTags.DEAD_LETTERS, letter));
    }

    @Override
    public void processBroadcastElement(
            SourceRecord record, Context ctx, Collector<CustomerEvent> out) throws Exception {
        boolean first = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        if (record.getPayload() instanceof DeadLetter letter) {
            if (first) { // every subtask receives it: one writes it
                router.deadLetter(letter, l -> ctx.output(OutputTags.DEAD_LETTERS, l));
            }
            return;
        }
        ErasureRequest request = (ErasureRequest) record.getPayload();
        String customer = router.customerIdFor(request.getCustomerId());
        long now = ctx.currentProcessingTime();
        int dropped =
                ErasedIds.add(
                        ctx.getBroadcastState(ErasedIds.DESCRIPTOR),
                        customer,
                        now,
                        now + suppressionMillis,
                        maxSuppressed);
        mayHoldErased = true;
        if (dropped > 0) {
            evicted.inc(dropped);
            if (first) {
                LOG.warn(
                        "Erasure suppression list full (privacy.erasure.suppression-max = {}): {}"
                                + " ids suppressed for less than their period",
                        maxSuppressed,
                        dropped);
            }
        }
        erasures.inc();
        if (first) {
            // The request id only: the log must not become a list of who asked to be forgotten.
            LOG.info(
                    "Erasure request {} (source '{}') in force",
                    request.getRequestId(),
                    request.getSource());
        }
        out.collect(
                new CustomerEvent(
                        new Erasure(
                                customer,
                                request.getRequestId(),
                                request.getRequestedAt().toEpochMilli(),
                                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks())));
    }
}
