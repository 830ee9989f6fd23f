package io.p13n.model.testing;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.ConsentEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builders for valid events, shared by every module's tests; tests change only what they test. */
public final class TestEvents {
    /** A fixed, recent instant, so tests do not depend on the wall clock. */
    public static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static final AtomicLong IDS = new AtomicLong();

    private TestEvents() {}

    public static String nextId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    public static ClickEvent.Builder click(String customerId, ClickType type, Instant at) {
        return ClickEvent.newBuilder()
                .setEventId(nextId("click"))
                .setCustomerId(customerId)
                .setSessionId("session-" + customerId)
                .setType(type)
                .setProductId(
                        type == ClickType.PAGE_VIEW || type == ClickType.SEARCH
                                ? null
                                : "product-1")
                .setCategoryId(
                        type == ClickType.PAGE_VIEW || type == ClickType.SEARCH
                                ? null
                                : "category-1")
                .setPrice(type == ClickType.PAGE_VIEW || type == ClickType.SEARCH ? null : 19.99)
                .setSearchQuery(type == ClickType.SEARCH ? "running shoes" : null)
                .setChannel(Channel.WEB)
                .setEventTime(at);
    }

    public static ClickEvent productView(String customerId, Instant at) {
        return click(customerId, ClickType.PRODUCT_VIEW, at).build();
    }

    public static OrderEvent.Builder order(
            String customerId, OrderStatus status, Instant at, double total) {
        return OrderEvent.newBuilder()
                .setOrderId(nextId("order"))
                .setCustomerId(customerId)
                .setLines(
                        List.of(
                                OrderLine.newBuilder()
                                        .setProductId("product-1")
                                        .setCategoryId("category-1")
                                        .setQuantity(1)
                                        .setUnitPrice(total)
                                        .build()))
                .setTotal(total)
                .setCurrency("USD")
                .setStatus(status)
                .setChannel(Channel.WEB)
                .setEventTime(at);
    }

    public static OrderEvent placed(String customerId, Instant at, double total) {
        return order(customerId, OrderStatus.PLACED, at, total).build();
    }

    /** A review of {@code productId} with {@code rating} stars, with some text. */
    public static io.p13n.model.ReviewEvent review(
            String customerId, String productId, int rating, Instant at) {
        return io.p13n.model.ReviewEvent.newBuilder()
                .setEventId(nextId("review"))
                .setCustomerId(customerId)
                .setProductId(productId)
                .setRating(rating)
                .setTextLength(140)
                .setChannel(Channel.WEB)
                .setEventTime(at)
                .build();
    }

    /** A consent decision (channel null: every channel, or personalization). */
    public static ConsentEvent consent(
            String customerId,
            io.p13n.model.ConsentPurpose purpose,
            io.p13n.model.MessageChannel channel,
            boolean granted,
            Instant at) {
        return ConsentEvent.newBuilder()
                .setEventId(nextId("k"))
                .setCustomerId(customerId)
                .setPurpose(purpose)
                .setChannel(channel)
                .setGranted(granted)
                .setSource("test")
                .setEventTime(at)
                .build();
    }
}
