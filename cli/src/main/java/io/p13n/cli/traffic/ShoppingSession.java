package io.p13n.cli.traffic;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One visit of one customer, walked through a shopping funnel one event at a time: it opens with a
 * page view, browses by searching, visiting category pages and viewing products (staying mostly in
 * the category of interest; a search is followed by a few views of its results, or ends the visit),
 * adds some viewed products to the cart or wishlist, sometimes removes one again, and may end with
 * an order of what is in the cart (1 to 4 lines at catalogue prices).
 *
 * <p>Guarantees the simulator's tests rely on: every ordered product was added to the cart earlier
 * in the same session, and a removal never takes out more than the cart holds.
 */
final class ShoppingSession {
    private static final double ADD_TO_CART_AFTER_VIEW = 0.09;
    private static final double WISHLIST_AFTER_VIEW = 0.04;
    private static final double REMOVE_FROM_CART = 0.05;
    private static final double SEARCH = 0.15;
    private static final double CATEGORY_PAGE = 0.12;
    private static final double STAY_IN_CATEGORY = 0.65;
    private static final double CHECKOUT_WITH_FULL_CART = 0.4;
    private static final double COUPON_SHARE = 0.08;
    private static final int MAX_CART_LINES = 4;
    private static final double MEAN_EXTRA_STEPS = 9;
    private static final int MAX_STEPS = 60;
    private static final String[] SEARCH_PREFIXES = {"", "", "", "cheap ", "best ", "new "};

    /**
     * After a search the shopper looks at a few results (1 to 4 product views), nearly all in the
     * searched category; some searchers leave right after the search (nothing they liked): the
     * engine learns interests from the first and raises a searched-not-bought moment for both.
     */
    private static final int MAX_RESULTS_VIEWED = 4;

    private static final double RESULT_IN_SEARCHED_CATEGORY = 0.9;
    private static final double LEAVE_AFTER_SEARCH = 0.2;

    private final int customer;
    private final String knownId;

    /** The id the session's events carry: a guest id until the shopper logs in, then knownId. */
    private String customerId;

    /** Set for a guest session: the step after which the shopper logs in (always before paying). */
    private int loginAfterStep = -1;

    private int step;
    private final String sessionId;
    private final Channel channel;
    private final ProductCatalog catalog;
    private final EventStamper stamper;
    private final Map<Product, Integer> cart = new LinkedHashMap<>();
    private int stepsLeft;
    private boolean started;
    private boolean ended;
    private Product lastViewed;
    private String categoryOfInterest;

    /** Search results still to look at: the next product views follow the latest search. */
    private int resultsToView;

    ShoppingSession(
            int customer,
            String customerId,
            Channel channel,
            ProductCatalog catalog,
            EventStamper stamper,
            Random random) {
        this.customer = customer;
        this.knownId = customerId;
        this.customerId = customerId;
        this.sessionId = stamper.nextSessionId();
        this.channel = channel;
        this.catalog = catalog;
        this.stamper = stamper;
        // Exponentially distributed session lengths: most visits are short, a few browse for long.
        this.stepsLeft =
                2
                        + (int)
                                Math.min(
                                        MAX_STEPS,
                                        -Math.log(1 - random.nextDouble()) * MEAN_EXTRA_STEPS);
    }

    int customer() {
        return customer;
    }

    /**
     * Makes this a guest visit: its events carry {@code guestId} until the shopper logs in, after a
     * few steps or at checkout at the latest, which is an {@link IdentifyEvent} (source {@code
     * login}, or {@code checkout}) naming the known customer; later events carry the customer's id.
     */
    ShoppingSession asGuest(String guestId, Random random) {
        this.customerId = guestId;
        this.loginAfterStep = 1 + random.nextInt(Math.max(1, stepsLeft));
        return this;
    }

    boolean ended() {
        return ended;
    }

    /**
     * The session's next event, or {@code null} when the visit ends without an order (an abandoned
     * cart or plain browsing). After an order or a {@code null} the session has {@link #ended()}.
     */
    SpecificRecordBase step(Random random) {
        step++;
        boolean guest = !customerId.equals(knownId);
        if (guest && started && (step > loginAfterStep || stepsLeft <= 0)) {
            // logs in mid-visit, or at checkout at the latest (a guest cannot pay)
            String source = stepsLeft <= 0 ? "checkout" : "login";
            IdentifyEvent identify =
                    IdentifyEvent.newBuilder()
                            .setEventId(stamper.nextIdentifyId())
                            .setAnonymousId(customerId)
                            .setCustomerId(knownId)
                            .setSource(source)
                            .setChannel(channel)
                            .setEventTime(stamper.now())
                            .build();
            customerId = knownId;
            return identify;
        }
        if (!started) {
            started = true;
            return stamper.click(customerId, sessionId, ClickType.PAGE_VIEW, channel).build();
        }
        if (stepsLeft-- <= 0) {
            ended = true;
            return !cart.isEmpty() && random.nextDouble() < CHECKOUT_WITH_FULL_CART
                    ? placeOrder(random)
                    : null;
        }
        Product viewed = lastViewed;
        lastViewed = null;
        if (viewed != null) {
            double afterView = random.nextDouble();
            if (afterView < ADD_TO_CART_AFTER_VIEW
                    && (cart.containsKey(viewed) || cart.size() < MAX_CART_LINES)) {
                return addToCart(viewed, random);
            }
            if (afterView < ADD_TO_CART_AFTER_VIEW + WISHLIST_AFTER_VIEW) {
                return productClick(ClickType.WISHLIST, viewed).build();
            }
        }
        if (resultsToView > 0) {
            resultsToView--;
            Product result =
                    random.nextDouble() < RESULT_IN_SEARCHED_CATEGORY
                            ? catalog.popularIn(categoryOfInterest, random)
                            : catalog.popular(random);
            lastViewed = result;
            return productClick(ClickType.PRODUCT_VIEW, result).build();
        }
        double browse = random.nextDouble();
        if (!cart.isEmpty() && browse < REMOVE_FROM_CART) {
            return removeFromCart(random);
        }
        if (browse < REMOVE_FROM_CART + SEARCH) {
            return search(random);
        }
        if (browse < REMOVE_FROM_CART + SEARCH + CATEGORY_PAGE) {
            String category =
                    categoryOfInterest != null
                            ? categoryOfInterest
                            : catalog.popular(random).categoryId();
            categoryOfInterest = category;
            return stamper.click(customerId, sessionId, ClickType.PAGE_VIEW, channel)
                    .setCategoryId(category)
                    .build();
        }
        Product product =
                categoryOfInterest != null && random.nextDouble() < STAY_IN_CATEGORY
                        ? catalog.popularIn(categoryOfInterest, random)
                        : catalog.popular(random);
        lastViewed = product;
        categoryOfInterest = product.categoryId();
        return productClick(ClickType.PRODUCT_VIEW, product).build();
    }

    private SpecificRecordBase search(Random random) {
        // Searches go to categories by traffic: draw a popular product and search for its category.
        String category = catalog.popular(random).categoryId();
        categoryOfInterest = category;
        String query =
                SEARCH_PREFIXES[random.nextInt(SEARCH_PREFIXES.length)]
                        + catalog.searchTerm(category);
        if (random.nextDouble() < LEAVE_AFTER_SEARCH) {
            stepsLeft = 0; // searched and left: the visit ends at the next step
            resultsToView = 0;
        } else {
            resultsToView = 1 + random.nextInt(MAX_RESULTS_VIEWED);
        }
        return stamper.click(customerId, sessionId, ClickType.SEARCH, channel)
                .setSearchQuery(query)
                .build();
    }

    private SpecificRecordBase addToCart(Product product, Random random) {
        double draw = random.nextDouble();
        int quantity = draw < 0.85 ? 1 : draw < 0.96 ? 2 : 3;
        cart.merge(product, quantity, Integer::sum);
        return productClick(ClickType.ADD_TO_CART, product).setQuantity(quantity).build();
    }

    private SpecificRecordBase removeFromCart(Random random) {
        List<Product> inCart = new ArrayList<>(cart.keySet());
        Product product = inCart.get(random.nextInt(inCart.size()));
        int held = cart.get(product);
        int quantity = held == 1 || random.nextDouble() < 0.7 ? held : 1;
        if (quantity == held) {
            cart.remove(product);
        } else {
            cart.put(product, held - quantity);
        }
        return productClick(ClickType.REMOVE_FROM_CART, product).setQuantity(quantity).build();
    }

    private OrderEvent placeOrder(Random random) {
        List<OrderLine> lines = new ArrayList<>(cart.size());
        long totalCents = 0;
        for (Map.Entry<Product, Integer> entry : cart.entrySet()) {
            Product product = entry.getKey();
            lines.add(
                    OrderLine.newBuilder()
                            .setProductId(product.id())
                            .setCategoryId(product.categoryId())
                            .setQuantity(entry.getValue())
                            .setUnitPrice(product.price())
                            .build());
            totalCents += Math.round(product.price() * 100) * entry.getValue();
        }
        String coupon = null;
        if (random.nextDouble() < COUPON_SHARE) {
            coupon = "SAVE10";
            totalCents = Math.round(totalCents * 0.9);
        }
        return OrderEvent.newBuilder()
                .setOrderId(stamper.nextOrderId())
                .setCustomerId(customerId)
                .setLines(lines)
                .setTotal(totalCents / 100.0)
                .setCurrency("USD")
                .setCouponCode(coupon)
                .setStatus(OrderStatus.PLACED)
                .setChannel(channel)
                .setEventTime(stamper.now())
                .build();
    }

    private ClickEvent.Builder productClick(ClickType type, Product product) {
        return stamper.click(customerId, sessionId, type, channel)
                .setProductId(product.id())
                .setCategoryId(product.categoryId())
                .setPrice(product.price());
    }
}
