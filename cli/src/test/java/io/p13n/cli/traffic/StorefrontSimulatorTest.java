package io.p13n.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StorefrontSimulatorTest {
    private static final Clock FIXED =
            Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final int EVENTS = 200_000;

    /** One long run with the default sizes, shared by the tests that only read it. */
    private static StorefrontSimulator simulator;

    private static List<SpecificRecordBase> events;

    @BeforeAll
    static void generate() {
        simulator = new StorefrontSimulator(42, 10_000, 5_000, 50, FIXED);
        events = take(simulator, EVENTS);
    }

    @Test
    void sameSeedGivesSameEventsAndAnotherSeedDifferentOnes() {
        List<SpecificRecordBase> first =
                take(new StorefrontSimulator(7, 1_000, 500, 20, FIXED), 5_000);
        List<SpecificRecordBase> second =
                take(new StorefrontSimulator(7, 1_000, 500, 20, FIXED), 5_000);
        List<SpecificRecordBase> otherSeed =
                take(new StorefrontSimulator(8, 1_000, 500, 20, FIXED), 5_000);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void eventAndOrderIdsAreUnique() {
        List<String> eventIds = clicks().map(ClickEvent::getEventId).toList();
        List<String> placedOrderIds =
                orders(OrderStatus.PLACED).map(OrderEvent::getOrderId).toList();
        List<String> orderStatusPairs =
                orders().map(o -> o.getOrderId() + "/" + o.getStatus()).toList();

        assertThat(new HashSet<>(eventIds)).hasSameSizeAs(eventIds);
        assertThat(new HashSet<>(placedOrderIds)).hasSameSizeAs(placedOrderIds);
        assertThat(new HashSet<>(orderStatusPairs)).hasSameSizeAs(orderStatusPairs);
    }

    @Test
    void everyOrderIsExactlyTheCartOfTheCustomersSessionAtCataloguePrices() {
        // The customer's open session and its cart, rebuilt from the click stream.
        Map<String, String> sessionOf = new HashMap<>();
        Map<String, Map<String, Integer>> cartOf = new HashMap<>();
        int ordersChecked = 0;
        for (SpecificRecordBase event : events) {
            if (event instanceof ClickEvent click) {
                if (!click.getSessionId()
                        .equals(sessionOf.put(click.getCustomerId(), click.getSessionId()))) {
                    cartOf.put(click.getCustomerId(), new HashMap<>());
                }
                Map<String, Integer> cart = cartOf.get(click.getCustomerId());
                if (click.getType() == ClickType.ADD_TO_CART) {
                    cart.merge(click.getProductId(), click.getQuantity(), Integer::sum);
                } else if (click.getType() == ClickType.REMOVE_FROM_CART) {
                    int held = cart.getOrDefault(click.getProductId(), 0);
                    assertThat(click.getQuantity())
                            .as("removal of %s", click.getEventId())
                            .isBetween(1, held);
                    cart.merge(click.getProductId(), -click.getQuantity(), Integer::sum);
                    cart.values().removeIf(q -> q == 0);
                }
            } else if (event instanceof OrderEvent order
                    && order.getStatus() == OrderStatus.PLACED) {
                Map<String, Integer> ordered =
                        order.getLines().stream()
                                .collect(
                                        Collectors.toMap(
                                                OrderLine::getProductId, OrderLine::getQuantity));
                assertThat(ordered)
                        .as("order %s", order.getOrderId())
                        .isEqualTo(cartOf.get(order.getCustomerId()));
                assertThat(order.getLines()).hasSizeBetween(1, 4);
                long cents = 0;
                for (OrderLine line : order.getLines()) {
                    Product product = simulator.catalog().find(line.getProductId()).orElseThrow();
                    assertThat(line.getUnitPrice()).isEqualTo(product.price());
                    assertThat(line.getCategoryId()).isEqualTo(product.categoryId());
                    cents += Math.round(line.getUnitPrice() * 100) * line.getQuantity();
                }
                long expected = order.getCouponCode() == null ? cents : Math.round(cents * 0.9);
                assertThat(Math.round(order.getTotal() * 100)).isEqualTo(expected);
                ordersChecked++;
            }
        }
        assertThat(ordersChecked).isGreaterThan(500);
    }

    @Test
    void cancellationsAndRefundsRepeatAnEarlierOrderOnce() {
        Map<String, OrderEvent> placed = new HashMap<>();
        Set<String> afterSales = new HashSet<>();
        for (OrderEvent order : orders().toList()) {
            if (order.getStatus() == OrderStatus.PLACED) {
                placed.put(order.getOrderId(), order);
                continue;
            }
            OrderEvent original = placed.get(order.getOrderId());
            assertThat(original).as("placed before %s", order.getOrderId()).isNotNull();
            assertThat(order.getCustomerId()).isEqualTo(original.getCustomerId());
            assertThat(order.getLines()).isEqualTo(original.getLines());
            assertThat(order.getTotal()).isEqualTo(original.getTotal());
            assertThat(afterSales.add(order.getOrderId()))
                    .as("only one after-sales event for %s", order.getOrderId())
                    .isTrue();
        }
        assertThat(orders(OrderStatus.CANCELLED).count()).isPositive();
        assertThat(orders(OrderStatus.REFUNDED).count()).isPositive();
    }

    @Test
    void trafficCoversTheWholeFunnelAndBothChannels() {
        Set<ClickType> types =
                clicks().map(ClickEvent::getType)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ClickType.class)));
        Set<Channel> channels =
                events.stream()
                        .map(
                                e ->
                                        e instanceof ClickEvent c
                                                ? c.getChannel()
                                                : ((OrderEvent) e).getChannel())
                        .collect(Collectors.toSet());
        Set<Integer> lineCounts =
                orders(OrderStatus.PLACED)
                        .map(o -> o.getLines().size())
                        .collect(Collectors.toSet());

        assertThat(types)
                .containsExactlyInAnyOrder(
                        ClickType.PAGE_VIEW,
                        ClickType.PRODUCT_VIEW,
                        ClickType.SEARCH,
                        ClickType.ADD_TO_CART,
                        ClickType.REMOVE_FROM_CART,
                        ClickType.WISHLIST);
        assertThat(channels).containsExactlyInAnyOrder(Channel.WEB, Channel.APP);
        assertThat(lineCounts).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(clicks().filter(c -> c.getType() == ClickType.SEARCH))
                .allMatch(c -> !c.getSearchQuery().isBlank());
        assertThat(clicks().filter(c -> c.getType() == ClickType.PRODUCT_VIEW))
                .allMatch(
                        c ->
                                c.getPrice()
                                        == simulator
                                                .catalog()
                                                .find(c.getProductId())
                                                .orElseThrow()
                                                .price());
    }

    @Test
    void productViewsAreLongTailed() {
        Map<String, Long> views =
                clicks().filter(c -> c.getType() == ClickType.PRODUCT_VIEW)
                        .collect(
                                Collectors.groupingBy(
                                        ClickEvent::getProductId, Collectors.counting()));
        long total = views.values().stream().mapToLong(Long::longValue).sum();
        long topOnePercent =
                views.values().stream()
                        .sorted((a, b) -> Long.compare(b, a))
                        .limit(50)
                        .mapToLong(Long::longValue)
                        .sum();

        // Uniform popularity would give the top 1% of 5,000 products about 1% of the views.
        assertThat((double) topOnePercent / total).isGreaterThan(0.3);
        // ... and a tail: most of the catalogue is still viewed now and then.
        assertThat(views).hasSizeGreaterThan(2_500);
    }

    @Test
    void fewCustomersAreVeryActiveAndQuietOnesStopComingBack() {
        Map<String, Set<String>> sessions = new HashMap<>();
        clicks().forEach(
                        c ->
                                sessions.computeIfAbsent(c.getCustomerId(), k -> new HashSet<>())
                                        .add(c.getSessionId()));
        List<Integer> perCustomer =
                sessions.values().stream().map(Set::size).sorted((a, b) -> b - a).toList();
        long allSessions = perCustomer.stream().mapToLong(Integer::longValue).sum();
        long topOnePercent = perCustomer.stream().limit(100).mapToLong(Integer::longValue).sum();
        assertThat((double) topOnePercent / allSessions).isGreaterThan(0.15);

        CustomerPopulation customers = simulator.customers();
        int quiet = 0;
        int exhausted = 0;
        for (int c = 0; c < customers.size(); c++) {
            if (!customers.isQuietType(c)) {
                continue;
            }
            quiet++;
            int seen = sessions.getOrDefault(customers.id(c), Set.of()).size();
            assertThat(seen)
                    .as("sessions of quiet customer %s", customers.id(c))
                    .isLessThanOrEqualTo(customers.sessionBudget(c));
            if (seen == customers.sessionBudget(c)) {
                exhausted++;
            }
        }
        assertThat(quiet).isBetween(1_500, 2_500);
        assertThat(exhausted).as("quiet customers who used up their sessions").isGreaterThan(100);
    }

    @Test
    void eventTimeIsTheClocksNow() {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00.123456Z"));
        StorefrontSimulator timed = new StorefrontSimulator(1, 100, 100, 5, clock);
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clock.now = clock.now.plusSeconds(1);
            times.add(EventFields.eventTime(timed.next()));
        }
        assertThat(times.get(0)).isEqualTo("2026-05-01T08:00:01.123Z");
        assertThat(times.get(49)).isEqualTo("2026-05-01T08:00:50.123Z");
    }

    @Test
    void catalogChangesComeOnTheirOwnStreamAndLeaveTheShoppersEventsAsTheyWere() {
        List<SpecificRecordBase> plain =
                take(new StorefrontSimulator(7, 1_000, 500, 20, FIXED), 3_000);
        List<SpecificRecordBase> mixed =
                take(
                        new StorefrontSimulator(7, 1_000, 500, 20, FIXED).withCatalogChanges(0.05),
                        3_160);
        List<io.p13n.model.CatalogEvent> changes =
                mixed.stream()
                        .filter(e -> e instanceof io.p13n.model.CatalogEvent)
                        .map(io.p13n.model.CatalogEvent.class::cast)
                        .toList();
        List<SpecificRecordBase> shoppers =
                mixed.stream().filter(e -> !(e instanceof io.p13n.model.CatalogEvent)).toList();
        // 5 % of 3,160 calls: about 158 changes
        assertThat(changes).hasSizeBetween(110, 210);
        assertThat(shoppers.subList(0, Math.min(shoppers.size(), 2_900)))
                .isEqualTo(plain.subList(0, Math.min(shoppers.size(), 2_900)));

        // each change is a sale (10-30 % off), its end (list price), a stock-out or a restock
        java.util.Map<String, Double> listPrice = new java.util.HashMap<>();
        StorefrontSimulator sim = new StorefrontSimulator(7, 1_000, 500, 20, FIXED);
        java.util.Set<String> soldOut = new java.util.HashSet<>();
        boolean sale = false;
        boolean stockOut = false;
        boolean restock = false;
        for (io.p13n.model.CatalogEvent c : changes) {
            double list = sim.catalog().find(c.getProductId()).orElseThrow().price();
            assertThat(c.getPrice()).isPositive().isLessThanOrEqualTo(list);
            if (c.getStock() != null && c.getStock() == 0) {
                stockOut = true;
                assertThat(soldOut.add(c.getProductId())).isTrue();
            } else if (c.getStock() != null) {
                restock = true;
                assertThat(soldOut.remove(c.getProductId()))
                        .as("restocks follow stock-outs")
                        .isTrue();
            } else if (c.getPrice() < list) {
                sale = true;
            }
            listPrice.put(c.getProductId(), list);
        }
        assertThat(sale).isTrue();
        assertThat(stockOut).isTrue();
        assertThat(restock).isTrue();
        assertThat(changes)
                .extracting(io.p13n.model.CatalogEvent::getEventId)
                .doesNotHaveDuplicates();
    }

    @Test
    void guestsBrowseUnderAnAnonymousIdAndLogInBeforeTheyPay() {
        List<SpecificRecordBase> events =
                take(
                        new StorefrontSimulator(7, 1_000, 500, 20, FIXED, "g")
                                .withGuestSessions(0.3),
                        6_000);
        java.util.Set<String> guestsSeen = new java.util.HashSet<>();
        java.util.Set<String> loggedIn = new java.util.HashSet<>();
        int identifications = 0;
        for (SpecificRecordBase e : events) {
            if (e instanceof ClickEvent click && click.getCustomerId().startsWith("g-guest-")) {
                assertThat(loggedIn)
                        .as("no guest event after the login")
                        .doesNotContain(click.getCustomerId());
                guestsSeen.add(click.getCustomerId());
            } else if (e instanceof io.p13n.model.IdentifyEvent identify) {
                identifications++;
                assertThat(guestsSeen)
                        .as("the guest browsed first")
                        .contains(identify.getAnonymousId());
                assertThat(loggedIn.add(identify.getAnonymousId()))
                        .as("one login per guest")
                        .isTrue();
                assertThat(identify.getCustomerId()).doesNotContain("-guest-");
                assertThat(identify.getSource()).isIn("login", "checkout");
                assertThat(identify.getEventId()).startsWith("g-i");
            } else if (e instanceof OrderEvent order) {
                assertThat(order.getCustomerId())
                        .as("guests log in before paying")
                        .doesNotContain("-guest-");
            }
        }
        // about 30 % of some 700 sessions
        assertThat(identifications).isBetween(100, 400);
    }

    private static List<SpecificRecordBase> take(StorefrontSimulator simulator, int count) {
        List<SpecificRecordBase> taken = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            taken.add(simulator.next());
        }
        return taken;
    }

    private static Stream<ClickEvent> clicks() {
        return events.stream().filter(ClickEvent.class::isInstance).map(ClickEvent.class::cast);
    }

    private static Stream<OrderEvent> orders() {
        return events.stream().filter(OrderEvent.class::isInstance).map(OrderEvent.class::cast);
    }

    private static Stream<OrderEvent> orders(OrderStatus status) {
        return orders().filter(o -> o.getStatus() == status);
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
