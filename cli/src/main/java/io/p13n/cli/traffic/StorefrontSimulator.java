package io.p13n.cli.traffic;

import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A synthetic online store that produces realistic click and order traffic, one event per {@link
 * #next()} call: many customers with Zipf-distributed activity (a few very active, some going quiet
 * after a few visits), interleaved shopping sessions (64 by default) that walk a funnel (page
 * views, searches, product views, cart adds and removals, wishlist, orders of 1 to 4 lines at
 * catalogue prices), a long tail of products over categories, web and app channels, and occasional
 * cancellations and refunds of earlier orders. Event times are the time source's current instant.
 *
 * <p>Deterministic: the same seed, sizes, run id and sequence of calls give the same events (event
 * times aside, which come from the clock). Ids are {@code <runId>-e<n>} for events, {@code
 * <runId>-s<n>} for sessions and {@code <runId>-o<n>} for orders, so they are unique within a run;
 * give each run against a long-lived engine its own run id, or the engine's de-duplication will
 * drop the second run's events as repeats of the first.
 *
 * <p>Not thread-safe: use one instance from one thread (the {@link TrafficProducer} loop).
 */
public final class StorefrontSimulator {
    /**
     * Cancellations and refunds per event, about one in twelve orders at the default funnel rates.
     */
    private static final double AFTER_SALES_RATE = 0.001;

    private static final double CANCEL_SHARE = 0.6;

    /** Orders remembered for later cancellation or refund; older ones can no longer be returned. */
    private static final int RECENT_ORDERS = 10_000;

    /**
     * Shopping sessions open at once by default: a small store's afternoon. The benchmark's
     * realistic workload opens thousands (see {@code bench --workload}).
     */
    public static final int DEFAULT_OPEN_SESSIONS = 64;

    private final Random random;
    private final ProductCatalog catalog;
    private final CustomerPopulation customers;
    private final EventStamper stamper;
    private final BadRecordFactory badRecords;
    private final Random badRecordRandom;
    private final int openSessionTarget;
    private final List<ShoppingSession> openSessions = new ArrayList<>();
    private final List<OrderEvent> recentOrders = new ArrayList<>();
    private final CatalogChanges catalogChanges;
    private final Random catalogRandom;
    private double catalogChangeRate;
    private final Random guestRandom;
    private double guestShare;
    private final CustomerAttributes attributes;
    private final java.util.ArrayDeque<CustomerAttributesEvent> pendingAttributes =
            new java.util.ArrayDeque<>();
    private final Random reviewRandom;
    private ProductReviews reviews;
    private final String runId;
    private final Clock clock;

    /** A simulator whose ids start with {@code sim<seed>}. */
    public StorefrontSimulator(
            long seed, int customers, int products, int categories, Clock clock) {
        this(seed, customers, products, categories, clock, "sim" + seed);
    }

    /**
     * @param seed drives everything random: catalogue, customers and traffic
     * @param customers number of customers, at least 1
     * @param products number of products, at least 1
     * @param categories number of categories, at least 1
     * @param clock event time source
     * @param runId prefix of event, session and order ids
     */
    public StorefrontSimulator(
            long seed, int customers, int products, int categories, Clock clock, String runId) {
        this(seed, customers, products, categories, clock, runId, DEFAULT_OPEN_SESSIONS);
    }

    /**
     * @param openSessions how many shopping sessions run interleaved at once (at most a quarter of
     *     the customers), at least 1
     */
    public StorefrontSimulator(
            long seed,
            int customers,
            int products,
            int categories,
            Clock clock,
            String runId,
            int openSessions) {
        if (openSessions < 1) {
            throw new IllegalArgumentException("openSessions must be >= 1, was " + openSessions);
        }
        Random setup = new Random(seed);
        this.catalog = new ProductCatalog(setup, products, categories);
        this.customers = new CustomerPopulation(setup, customers);
        this.random = new Random(setup.nextLong());
        this.badRecordRandom = new Random(setup.nextLong());
        this.stamper = new EventStamper(runId, clock);
        this.badRecords =
                new BadRecordFactory(
                        new Random(setup.nextLong()),
                        this.customers,
                        catalog,
                        new EventStamper(runId + "-bad", clock));
        // Its own random streams, so the clicks and orders of a seed are the same with or without
        // catalog changes.
        this.catalogRandom = new Random(setup.nextLong());
        this.catalogChanges =
                new CatalogChanges(catalog, new Random(setup.nextLong()), runId, clock);
        this.guestRandom = new Random(setup.nextLong());
        // Its own random stream too, drawn from only when attributes are on.
        this.attributes =
                new CustomerAttributes(new Random(setup.nextLong()), runId, clock, customers);
        // Drawn last, so every other stream of a seed is what it was before reviews existed.
        this.reviewRandom = new Random(setup.nextLong());
        this.runId = runId;
        this.clock = clock;
        // A quarter of the customers at most, so that a small population is not all "in session".
        this.openSessionTarget = Math.max(1, Math.min(openSessions, customers / 4));
    }

    /**
     * Mixes catalog changes into {@link #next()}: a share of the calls returns a {@code
     * CatalogEvent} (a sale, its end, a stock-out or a restock). 0, the default, returns clicks and
     * orders only.
     *
     * @param rate share of calls, 0 to 1
     */
    public StorefrontSimulator withCatalogChanges(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException(
                    "catalog change rate must be within 0..1, was " + rate);
        }
        this.catalogChangeRate = rate;
        return this;
    }

    /**
     * Makes a share of the shopping sessions guest visits: they browse under an anonymous id and
     * log in mid-visit or at checkout, an {@code IdentifyEvent} in {@link #next()}. 0, the default:
     * every visit is logged in from the start.
     *
     * @param share of new sessions, 0 to 1
     */
    public StorefrontSimulator withGuestSessions(double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException(
                    "guest session share must be within 0..1, was " + share);
        }
        this.guestShare = share;
        return this;
    }

    /**
     * Has a share of the customers state their attributes (birthday, time zone, signup date,
     * preferred channel) on their first visit of the run, a {@code CustomerAttributesEvent} in
     * {@link #next()} right after that visit's first event ({@link CustomerAttributes}). 0, the
     * default: none.
     *
     * @param share of customers, 0 to 1
     * @param todayShare of their birthdays and signup dates that fall on today in their zone, 0 to
     *     1: 0 spreads them over the year as in life; a demo raises it to see the moments fire
     */
    public StorefrontSimulator withCustomerAttributes(double share, double todayShare) {
        attributes.shares(share, todayShare);
        return this;
    }

    /**
     * Has a share of the placed orders reviewed a little later by their buyer, a {@code
     * ReviewEvent} in {@link #next()} with a J-shaped rating mix ({@link ProductReviews}). 0, the
     * default: no reviews.
     *
     * @param rate share of placed orders, 0 to 1
     */
    public StorefrontSimulator withReviews(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("review rate must be within 0..1, was " + rate);
        }
        // Its own random stream: the clicks and orders of a seed are the same with or without.
        this.reviews = rate > 0 ? new ProductReviews(rate, reviewRandom, runId, clock) : null;
        return this;
    }

    /**
     * The next event: a {@code ClickEvent} or an {@code OrderEvent}, with {@link
     * #withCatalogChanges} also a {@code CatalogEvent}, with {@link #withGuestSessions} also an
     * {@code IdentifyEvent}, with {@link #withReviews} also a {@code ReviewEvent}.
     */
    public SpecificRecordBase next() {
        if (!pendingAttributes.isEmpty()) {
            return pendingAttributes.poll();
        }
        if (reviews != null) {
            SpecificRecordBase review = reviews.due();
            if (review != null) {
                return review;
            }
        }
        if (catalogChangeRate > 0 && catalogRandom.nextDouble() < catalogChangeRate) {
            return catalogChanges.next();
        }
        if (!recentOrders.isEmpty() && random.nextDouble() < AFTER_SALES_RATE) {
            return afterSales();
        }
        while (true) {
            ShoppingSession session = sessionToAdvance();
            SpecificRecordBase event = session.step(random);
            if (session.ended()) {
                openSessions.remove(session);
                customers.sessionEnded(session.customer());
            }
            if (event instanceof OrderEvent order) {
                remember(order);
                if (reviews != null) {
                    reviews.onOrder(order);
                }
            }
            if (event != null) {
                return event;
            }
        }
    }

    /**
     * With probability {@code rate}, a bad record for the dead-letter demo; otherwise empty. Uses
     * its own random stream, so the good events of a seed are the same whatever the rate.
     *
     * @param rate share of calls that yield a bad record, 0 to 1
     */
    public Optional<BadRecord> nextBadRecord(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("bad record rate must be within 0..1, was " + rate);
        }
        return badRecordRandom.nextDouble() < rate
                ? Optional.of(badRecords.next())
                : Optional.empty();
    }

    /** A bad record of the given kind, e.g. to show each dead-letter path once. */
    public BadRecord badRecord(BadRecord.Kind kind) {
        return badRecords.create(kind);
    }

    /** The product catalogue behind the events: ids, categories and prices. */
    public ProductCatalog catalog() {
        return catalog;
    }

    CustomerPopulation customers() {
        return customers;
    }

    /** Tops up the open sessions when a customer is free, else continues a random open one. */
    private ShoppingSession sessionToAdvance() {
        while (openSessions.size() < openSessionTarget || openSessions.isEmpty()) {
            OptionalInt customer = customers.pickForNewSession(random);
            if (customer.isPresent()) {
                int c = customer.getAsInt();
                customers.sessionStarted(c);
                ShoppingSession session =
                        new ShoppingSession(
                                c,
                                customers.id(c),
                                customers.channelFor(c, random),
                                catalog,
                                stamper,
                                random);
                // Its own random stream: the shoppers' events of a seed are the same without
                // guests.
                if (guestShare > 0 && guestRandom.nextDouble() < guestShare) {
                    session.asGuest(stamper.nextGuestId(), guestRandom);
                }
                openSessions.add(session);
                // stated right after the visit's first event
                CustomerAttributesEvent stated = attributes.onVisit(c, customers.id(c));
                if (stated != null) {
                    pendingAttributes.add(stated);
                }
                return session;
            }
            if (!openSessions.isEmpty()) {
                break;
            }
            // No session open and every draw hit a quiet customer: draw again. The most active
            // customer
            // never goes quiet and is free now, so this ends.
        }
        return openSessions.get(random.nextInt(openSessions.size()));
    }

    private void remember(OrderEvent order) {
        if (recentOrders.size() == RECENT_ORDERS) {
            removeRecentOrder(random.nextInt(RECENT_ORDERS));
        }
        recentOrders.add(order);
    }

    /**
     * Cancels or refunds a remembered order, once: each (order, status) pair happens at most once.
     */
    private OrderEvent afterSales() {
        int index = random.nextInt(recentOrders.size());
        OrderEvent placed = removeRecentOrder(index);
        OrderStatus status =
                random.nextDouble() < CANCEL_SHARE ? OrderStatus.CANCELLED : OrderStatus.REFUNDED;
        return OrderEvent.newBuilder(placed).setStatus(status).setEventTime(stamper.now()).build();
    }

    /** Swap-remove: the order of the list does not matter, and this keeps removal O(1). */
    private OrderEvent removeRecentOrder(int index) {
        OrderEvent removed = recentOrders.get(index);
        recentOrders.set(index, recentOrders.get(recentOrders.size() - 1));
        recentOrders.remove(recentOrders.size() - 1);
        return removed;
    }
}
