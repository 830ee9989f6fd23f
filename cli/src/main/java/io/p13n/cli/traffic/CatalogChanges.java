package io.p13n.cli.traffic;

import io.p13n.model.CatalogEvent;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The store's product system, simulated: sales that cut a price by 10 to 30 %, sales that end, and
 * stock-outs followed by restocks, as {@link CatalogEvent}s. Popular products change more often
 * (they are drawn by store-wide popularity), as they do in a real shop, so the changes reach
 * products that shoppers are actually watching.
 *
 * <p>Deterministic for a seed and a sequence of calls (event times aside). Not thread-safe.
 */
final class CatalogChanges {
    /** Of the changes to an in-stock product: a sale starts (or deepens) in this share. */
    private static final double SALE_SHARE = 0.45;

    /** ... a sale ends (back to the list price) in this share; the rest sell out. */
    private static final double SALE_END_SHARE = 0.35;

    private final ProductCatalog catalog;
    private final Random random;
    private final String runId;
    private final Clock clock;
    private final Map<String, Double> prices = new HashMap<>();
    private final Set<String> soldOut = new HashSet<>();
    private long changes;

    CatalogChanges(ProductCatalog catalog, Random random, String runId, Clock clock) {
        this.catalog = catalog;
        this.random = random;
        this.runId = runId;
        this.clock = clock;
    }

    /** The next change: a restock of a sold-out product, a sale, the end of one, or a stock-out. */
    CatalogEvent next() {
        Product product = catalog.popular(random);
        String id = product.id();
        double price = prices.getOrDefault(id, product.price());
        Integer stock = null;
        if (soldOut.remove(id)) {
            stock = 5 + random.nextInt(46);
        } else {
            double r = random.nextDouble();
            if (r < SALE_SHARE) {
                double cut = 0.10 + random.nextDouble() * 0.20;
                price = Math.max(0.99, Math.round(price * (1 - cut) * 100) / 100.0);
            } else if (r < SALE_SHARE + SALE_END_SHARE) {
                price = product.price();
            } else {
                soldOut.add(id);
                stock = 0;
            }
        }
        prices.put(id, price);
        return CatalogEvent.newBuilder()
                .setEventId(runId + "-c" + Long.toString(changes++, 36))
                .setProductId(id)
                .setCategoryId(product.categoryId())
                .setPrice(price)
                .setStock(stock)
                .setEventTime(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .build();
    }
}
