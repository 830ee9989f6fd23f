package io.p13n.bench;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Deterministic events shaped like the storefront simulator's ({@code cli} module): ids and sizes
 * alike ({@code c0012345}, {@code p01234}, {@code cat012}), a browse, cart and order funnel over a
 * few categories. The benchmarks module does not depend on {@code cli} (it would drag the embedded
 * Kafka broker into the benchmark jar), hence this small generator.
 */
public final class Workloads {
    /** A recent, fixed event time: results do not depend on the wall clock. */
    public static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private Workloads() {}

    public static ClickEvent click(
            Random random,
            String customerId,
            String sessionId,
            ClickType type,
            long eventTime,
            long eventNumber) {
        boolean product = type != ClickType.PAGE_VIEW && type != ClickType.SEARCH;
        int p = random.nextInt(50_000);
        return ClickEvent.newBuilder()
                .setEventId("sim42-e" + Long.toString(eventNumber, 36))
                .setCustomerId(customerId)
                .setSessionId(sessionId)
                .setType(type)
                .setProductId(product ? String.format("p%05d", p) : null)
                .setCategoryId(product ? String.format("cat%03d", p % 12) : null)
                .setPrice(product ? 10 + (p % 200) + 0.99 : null)
                .setQuantity(
                        type == ClickType.ADD_TO_CART || type == ClickType.REMOVE_FROM_CART
                                ? 1
                                : null)
                .setSearchQuery(type == ClickType.SEARCH ? "running shoes" : null)
                .setChannel(Channel.WEB)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .build();
    }

    public static OrderEvent order(
            Random random, String customerId, long eventTime, long orderNumber) {
        int lines = 1 + random.nextInt(3);
        List<OrderLine> orderLines = new ArrayList<>(lines);
        double total = 0;
        for (int i = 0; i < lines; i++) {
            int p = random.nextInt(50_000);
            double price = 10 + (p % 200) + 0.99;
            orderLines.add(
                    OrderLine.newBuilder()
                            .setProductId(String.format("p%05d", p))
                            .setCategoryId(String.format("cat%03d", p % 12))
                            .setQuantity(1)
                            .setUnitPrice(price)
                            .build());
            total += price;
        }
        return OrderEvent.newBuilder()
                .setOrderId("sim42-o" + Long.toString(orderNumber, 36))
                .setCustomerId(customerId)
                .setLines(orderLines)
                .setTotal(Math.round(total * 100) / 100.0)
                .setCurrency("USD")
                .setStatus(OrderStatus.PLACED)
                .setChannel(Channel.WEB)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .build();
    }

    /**
     * One customer's history: {@code sessions} visits a few days apart, each a page view, a search,
     * several product views, a cart add, and every third visit an order. About 10 events a session.
     */
    public static List<SpecificRecordBase> history(
            long seed, String customerId, int sessions, long start) {
        Random random = new Random(seed);
        List<SpecificRecordBase> events = new ArrayList<>();
        long time = start;
        long n = 0;
        for (int s = 0; s < sessions; s++) {
            String session = "sim42-s" + Long.toString(seed * 1000 + s, 36);
            events.add(click(random, customerId, session, ClickType.PAGE_VIEW, time += 5_000, n++));
            events.add(click(random, customerId, session, ClickType.SEARCH, time += 5_000, n++));
            int views = 4 + random.nextInt(5);
            for (int v = 0; v < views; v++) {
                events.add(
                        click(
                                random,
                                customerId,
                                session,
                                ClickType.PRODUCT_VIEW,
                                time += 20_000,
                                n++));
            }
            events.add(
                    click(random, customerId, session, ClickType.ADD_TO_CART, time += 10_000, n++));
            if (s % 3 == 2) {
                events.add(order(random, customerId, time += 60_000, n++));
            }
            time += (2 + random.nextInt(6)) * 86_400_000L;
        }
        return events;
    }
}
