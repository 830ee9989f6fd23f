package io.p13n.jobs.ingest;

import io.p13n.jobs.OutputTags;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.ConsentEvent;
import io.p13n.model.CustomerEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.DeadLetterKind;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.SourceRecord;
import java.util.EnumMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits decoded events as {@link CustomerEvent}s and sends dead letters to {@link
 * OutputTags#DEAD_LETTERS}; counts events in by type and dead letters by kind. Stateless.
 */
public class RouteDeadLettersFunction extends ProcessFunction<SourceRecord, CustomerEvent> {
    private static final long serialVersionUID = 1L;

    private transient EnumMap<ClickType, Counter> clicksIn;
    private transient EnumMap<OrderStatus, Counter> ordersIn;
    private transient EnumMap<DeadLetterKind, Counter> deadLetters;
    private transient Counter consentsIn;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        clicksIn = new EnumMap<>(ClickType.class);
        for (ClickType type : ClickType.values()) {
            clicksIn.put(type, group.addGroup("type", type.name()).counter("eventsIn"));
        }
        ordersIn = new EnumMap<>(OrderStatus.class);
        for (OrderStatus status : OrderStatus.values()) {
            ordersIn.put(
                    status, group.addGroup("type", "ORDER_" + status.name()).counter("eventsIn"));
        }
        consentsIn = group.addGroup("type", "CONSENT").counter("eventsIn");
        deadLetters = new EnumMap<>(DeadLetterKind.class);
        for (DeadLetterKind kind : DeadLetterKind.values()) {
            deadLetters.put(kind, group.addGroup("kind", kind.name()).counter("deadLetters"));
        }
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<CustomerEvent> out) {
        Object payload = record.getPayload();
        if (payload instanceof ClickEvent) {
            clicksIn.get(((ClickEvent) payload).getType()).inc();
            out.collect(new CustomerEvent(payload));
        } else if (payload instanceof OrderEvent) {
            ordersIn.get(((OrderEvent) payload).getStatus()).inc();
            out.collect(new CustomerEvent(payload));
        } else if (payload instanceof ConsentEvent) {
            consentsIn.inc();
            out.collect(new CustomerEvent(payload));
        } else {
            DeadLetter letter = (DeadLetter) payload;
            deadLetters.get(letter.getKind()).inc();
            ctx.output(OutputTags.DEAD_LETTERS, letter);
        }
    }
}
