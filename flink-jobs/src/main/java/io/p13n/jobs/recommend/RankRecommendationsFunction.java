package io.p13n.jobs.recommend;

import io.p13n.jobs.reviews.ProductRatings;
import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ProductRating;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Ranks a customer's recommendations: reads the similar-items lists of their recent items and the
 * trending lists of their categories from Redis (one pipelined round trip, {@link
 * RedisServingLists}), and hands them to the {@link Ranker}. Asynchronous, so the task thread never
 * waits on Redis.
 *
 * <p>Why read Redis instead of holding the neighbour lists in Flink: the lists are keyed by item
 * and the customer is keyed by customer, and Flink 2 has no way to look up another key's state
 * (iterations are gone, so no scatter-gather back to the customer). Broadcasting every published
 * list to every ranking subtask would give each subtask the whole model on the heap, snapshotted by
 * every subtask: at {@code recommend.similar-size} = 30 entries of ~100 heap bytes, ~3 KB per
 * product, so 300 MB per subtask at 100k products and 3 GB at 1M, times the parallelism. Redis
 * holds the lists anyway, because the storefront reads them: one shared copy of ~2.7 KB of JSON per
 * product (30 entries of ~90 bytes: 270 MB at 100k, 2.7 GB at 1M, whatever the parallelism), and
 * ranking sees exactly the lists the storefront shows. The learning state itself (candidates per
 * item, see {@link io.p13n.jobs.recommend.ItemNeighbours}) is keyed by item in RocksDB in every
 * design. The cost is one Redis round trip per ranking, which the coalescing upstream bounds to
 * about one per customer per {@code recommend.coalesce-interval}.
 *
 * <p>With {@code reviews} settings, the candidates' ratings are read too (cached, {@link
 * RedisServingLists}) and a product rated low by enough reviewers is demoted ({@link Ranker}).
 */
public class RankRecommendationsFunction
        extends RichAsyncFunction<RecommendationRequest, CustomerRecommendations> {
    private static final long serialVersionUID = 1L;

    private final ServingLists servingLists;
    private final RecommendationSettings settings;
    private final int threads;

    /** Null: ratings are not read, the ranking ignores them. */
    private final ReviewSettings reviews;

    private transient ServingLists.Reader reader;
    private transient ExecutorService executor;
    private transient Counter timeouts;
    private transient Counter coldStarts;

    /**
     * @param threads Redis calls in flight per subtask; each round trip is ~1 ms, so a handful
     *     keeps up with thousands of rankings per second
     */
    public RankRecommendationsFunction(
            ServingLists servingLists, RecommendationSettings settings, int threads) {
        this(servingLists, settings, threads, null);
    }

    /**
     * @param reviews how ratings demote products ({@code reviews.*}); null to ignore ratings
     */
    public RankRecommendationsFunction(
            ServingLists servingLists,
            RecommendationSettings settings,
            int threads,
            ReviewSettings reviews) {
        // A bar of 1 star demotes nothing (no Bayesian average is below it): no ratings to read.
        this.reviews = reviews != null && reviews.demoteBelow() > 1 ? reviews : null;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.servingLists = servingLists;
        this.settings = settings;
        this.threads = threads;
    }

    @Override
    public void open(OpenContext openContext) {
        reader = servingLists.open();
        executor =
                Executors.newFixedThreadPool(
                        threads,
                        runnable -> {
                            Thread thread = new Thread(runnable, "rank-recommendations-redis");
                            thread.setDaemon(true);
                            return thread;
                        });
        timeouts = getRuntimeContext().getMetricGroup().addGroup("p13n").counter("rankingTimeouts");
        coldStarts =
                getRuntimeContext().getMetricGroup().addGroup("p13n").counter("coldStartRankings");
    }

    @Override
    public void asyncInvoke(
            RecommendationRequest request, ResultFuture<CustomerRecommendations> result) {
        if (request.getErased()) {
            // nothing to rank: the sink deletes the list (ordered wait keeps it after earlier ones)
            result.complete(
                    List.of(
                            CustomerRecommendations.newBuilder()
                                    .setCustomerId(request.getCustomerId())
                                    .setErased(true)
                                    .build()));
            return;
        }
        CompletableFuture.supplyAsync(() -> rank(request), executor)
                .whenComplete(
                        (ranked, error) -> {
                            if (error != null) {
                                // Fails the task; it restarts from the last checkpoint and ranks
                                // again.
                                result.completeExceptionally(error);
                            } else {
                                result.complete(List.of(ranked));
                            }
                        });
    }

    /**
     * A slow Redis must not fail the job: this customer's list is simply not refreshed this time.
     */
    @Override
    public void timeout(
            RecommendationRequest request, ResultFuture<CustomerRecommendations> result) {
        timeouts.inc();
        result.complete(List.of());
    }

    CustomerRecommendations rank(RecommendationRequest request) {
        CustomerRecommendations ranked = rank(request, reader, settings, reviews);
        if ("trending".equals(ranked.getStrategy())) {
            coldStarts.inc();
        }
        return ranked;
    }

    /**
     * Ranks from the neighbour lists first and reads trending lists only when they leave the list
     * short (cold start, or few neighbours): most rankings then cost no trending reads at all. Also
     * what a rebuild of Redis ranks with, over lists held in memory.
     */
    public static CustomerRecommendations rank(
            RecommendationRequest request,
            ServingLists.Reader reader,
            RecommendationSettings settings) {
        return rank(request, reader, settings, null);
    }

    /**
     * As above; with {@code reviews}, low-rated products are demoted. A rating only ever lowers a
     * score (its factor is at most 1), so when none of the products a ranking without ratings lists
     * is demoted, no other candidate can climb into the list and that list is the answer: the
     * ratings of the listed products (about 20) are read, not those of every candidate (often a
     * hundred or more: reading them all took a third of the ranking stage's CPU in the bench, for a
     * workload without a single review). Only when a listed product is demoted is every candidate's
     * rating read and the ranking done again ({@link #rankRatingEveryCandidate}).
     */
    public static CustomerRecommendations rank(
            RecommendationRequest request,
            ServingLists.Reader reader,
            RecommendationSettings settings,
            ReviewSettings reviews) {
        if (reviews == null) {
            return rankRatingEveryCandidate(request, reader, settings, null);
        }
        // the second pass, if any, ranks the same lists: read from Redis once
        ServingLists.Reader lists = new ReadOnce(reader);
        CustomerRecommendations unrated = rankRatingEveryCandidate(request, lists, settings, null);
        if (unrated.getItems().isEmpty()) {
            return unrated;
        }
        List<String> listed = new ArrayList<>(unrated.getItems().size());
        for (ScoredItem item : unrated.getItems()) {
            listed.add(item.getItemId());
        }
        if (factors(reader.ratings(listed), reviews) == RatingFactors.NONE) {
            return unrated;
        }
        return rankRatingEveryCandidate(request, lists, settings, reviews);
    }

    /** Remembers the lists it read, so a ranking done twice reads each only once. */
    private static final class ReadOnce implements ServingLists.Reader {
        private final ServingLists.Reader reader;
        private final Map<List<Collection<String>>, ServingLists.Lists> read = new HashMap<>();

        ReadOnce(ServingLists.Reader reader) {
            this.reader = reader;
        }

        @Override
        public ServingLists.Lists read(
                Collection<String> itemIds, Collection<String> categoryKeys) {
            return read.computeIfAbsent(
                    List.of(List.copyOf(itemIds), List.copyOf(categoryKeys)),
                    k -> reader.read(itemIds, categoryKeys));
        }

        @Override
        public Map<String, ProductRating> ratings(Collection<String> itemIds) {
            return reader.ratings(itemIds);
        }

        @Override
        public void close() {} // the wrapped reader is the caller's
    }

    /**
     * The ranking with the ratings of every candidate (the recent items and their neighbours, then
     * the trending fill) read and applied; {@code reviews} null: without ratings.
     */
    static CustomerRecommendations rankRatingEveryCandidate(
            RecommendationRequest request,
            ServingLists.Reader reader,
            RecommendationSettings settings,
            ReviewSettings reviews) {
        Set<String> items = new LinkedHashSet<>();
        for (String item : request.getRecentItems()) {
            if (items.size() >= settings.recentItems()) {
                break;
            }
            items.add(item);
        }
        ServingLists.Lists neighbours = reader.read(items, List.of());
        Map<String, ProductRating> ratings = new java.util.HashMap<>();
        RatingFactors factors = RatingFactors.NONE;
        if (reviews != null) {
            Set<String> candidates = new HashSet<>(items);
            for (SimilarItems list : neighbours.similar().values()) {
                addItems(list.getItems(), candidates);
            }
            ratings.putAll(reader.ratings(candidates));
            factors = factors(ratings, reviews);
        }
        CustomerRecommendations ranked =
                Ranker.rank(request, neighbours.similar(), Map.of(), factors, settings);
        if (ranked.getItems().size() >= settings.size()) {
            return ranked;
        }
        Set<String> categories = new LinkedHashSet<>();
        for (CategoryScore c : request.getCategories()) {
            categories.add(Trending.categoryKey(c.getCategoryId()));
        }
        categories.add(Trending.OVERALL);
        ServingLists.Lists trending = reader.read(List.of(), categories);
        if (reviews != null) {
            Set<String> fill = new HashSet<>();
            for (TrendingItems list : trending.trending().values()) {
                addItems(list.getItems(), fill);
            }
            fill.removeAll(ratings.keySet());
            ratings.putAll(reader.ratings(fill));
            factors = factors(ratings, reviews);
        }
        return Ranker.rank(request, neighbours.similar(), trending.trending(), factors, settings);
    }

    private static void addItems(List<ScoredItem> list, Collection<String> into) {
        for (ScoredItem item : list) {
            into.add(item.getItemId());
        }
    }

    /** The ranking factors of the rated products; 1 for every other. */
    static RatingFactors factors(Map<String, ProductRating> ratings, ReviewSettings reviews) {
        if (ratings.isEmpty()) {
            return RatingFactors.NONE;
        }
        Map<String, Double> factors = new java.util.HashMap<>();
        for (Map.Entry<String, ProductRating> e : ratings.entrySet()) {
            double f =
                    ProductRatings.rankingFactor(
                            e.getValue().getRatingSum(), e.getValue().getRatings(), reviews);
            if (f != 1.0) {
                factors.put(e.getKey(), f);
            }
        }
        return factors.isEmpty() ? RatingFactors.NONE : id -> factors.getOrDefault(id, 1.0);
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (reader != null) {
            reader.close();
        }
    }
}
