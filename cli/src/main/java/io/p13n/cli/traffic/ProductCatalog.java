package io.p13n.cli.traffic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The simulated store's products: a long tail of items with Zipf popularity (product {@code 0} is
 * the best seller), each in exactly one category and with a stable price. Categories have different
 * sizes and price levels, and a search term so that searches can lead to the category's products.
 * Built once from a seeded {@link Random}; immutable afterwards.
 */
public final class ProductCatalog {
    /**
     * Popularity skew of products: with 5,000 products the top 1% get half of the store-wide draws,
     * and about a third of all product views once browsing within categories is mixed in.
     */
    private static final double PRODUCT_EXPONENT = 1.0;

    /** Flatter skew for category sizes, so that even small categories hold a few products. */
    private static final double CATEGORY_SIZE_EXPONENT = 0.7;

    private static final String[] NOUNS = {
        "sneakers", "running shoes", "jackets", "jeans", "t-shirts", "dresses", "backpacks",
                "watches",
        "headphones", "speakers", "phones", "phone cases", "laptops", "monitors", "keyboards",
                "mice",
        "coffee makers", "kettles", "blenders", "cookware", "knives", "mugs", "lamps", "rugs",
        "pillows", "bedding", "towels", "toys", "board games", "puzzles", "books", "notebooks",
        "pens", "yoga mats", "dumbbells", "bikes", "tents", "sunglasses", "perfume", "shampoo"
    };
    private static final String[] QUALIFIERS = {"kids", "premium", "eco", "travel", "pro", "mini"};

    private final List<Product> products;
    private final Map<String, Product> byId;
    private final Map<String, String> searchTerms;
    private final Map<String, List<Product>> productsByCategory;
    private final Map<String, ZipfDistribution> popularityInCategory;
    private final ZipfDistribution popularity;

    ProductCatalog(Random random, int productCount, int categoryCount) {
        if (productCount < 1 || categoryCount < 1) {
            throw new IllegalArgumentException(
                    "need at least one product and one category, got "
                            + productCount
                            + " and "
                            + categoryCount);
        }
        List<String> categories = new ArrayList<>(categoryCount);
        Map<String, String> terms = new HashMap<>();
        double[] medianPrice = new double[categoryCount];
        for (int c = 0; c < categoryCount; c++) {
            String id = "cat" + pad(c, categoryCount, 3);
            categories.add(id);
            String noun = NOUNS[c % NOUNS.length];
            int round = c / NOUNS.length;
            terms.put(
                    id,
                    round == 0 ? noun : QUALIFIERS[(round - 1) % QUALIFIERS.length] + " " + noun);
            // Median prices from about $4 to $250, log-uniform: cheap accessories and expensive
            // electronics.
            medianPrice[c] =
                    Math.exp(Math.log(4) + random.nextDouble() * (Math.log(250) - Math.log(4)));
        }

        ZipfDistribution categorySize = new ZipfDistribution(categoryCount, CATEGORY_SIZE_EXPONENT);
        List<Product> all = new ArrayList<>(productCount);
        Map<String, Product> index = new HashMap<>();
        Map<String, List<Product>> inCategory = new HashMap<>();
        for (int p = 0; p < productCount; p++) {
            int c = categorySize.sample(random);
            double raw = medianPrice[c] * Math.exp(random.nextGaussian() * 0.45);
            // Shop prices end in .99; computed in cents so that the value is exactly representable
            // as text.
            double price = (Math.floor(raw) * 100 + 99) / 100.0;
            Product product = new Product("p" + pad(p, productCount, 5), categories.get(c), price);
            all.add(product);
            index.put(product.id(), product);
            inCategory.computeIfAbsent(product.categoryId(), k -> new ArrayList<>()).add(product);
        }

        Map<String, ZipfDistribution> categoryPopularity = new HashMap<>();
        // Products were added in global popularity order, so each category list is too.
        inCategory.forEach(
                (id, list) ->
                        categoryPopularity.put(
                                id, new ZipfDistribution(list.size(), PRODUCT_EXPONENT)));

        this.products = List.copyOf(all);
        this.byId = Map.copyOf(index);
        this.searchTerms = Map.copyOf(terms);
        this.productsByCategory = Map.copyOf(inCategory);
        this.popularityInCategory = Map.copyOf(categoryPopularity);
        this.popularity = new ZipfDistribution(productCount, PRODUCT_EXPONENT);
    }

    /** The product with this id, if the catalogue has it. */
    public Optional<Product> find(String productId) {
        return Optional.ofNullable(byId.get(productId));
    }

    /** What a shopper types to search for the category's products, e.g. {@code running shoes}. */
    String searchTerm(String categoryId) {
        return searchTerms.get(categoryId);
    }

    /** A product drawn by store-wide popularity. */
    Product popular(Random random) {
        return products.get(popularity.sample(random));
    }

    /**
     * A product of the category drawn by popularity within it; store-wide if the category is empty.
     */
    Product popularIn(String categoryId, Random random) {
        List<Product> list = productsByCategory.get(categoryId);
        if (list == null) {
            return popular(random);
        }
        return list.get(popularityInCategory.get(categoryId).sample(random));
    }

    /** Zero-padded so that ids sort like numbers; at least {@code minWidth} digits. */
    private static String pad(int value, int count, int minWidth) {
        int width = Math.max(minWidth, String.valueOf(count - 1).length());
        return String.format("%0" + width + "d", value);
    }
}
