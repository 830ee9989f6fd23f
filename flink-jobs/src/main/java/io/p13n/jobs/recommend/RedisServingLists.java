package io.p13n.jobs.recommend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.p13n.jobs.redis.RedisEndpoint;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisPipeline;
import io.p13n.jobs.reviews.ProductRatingRedisMapper;
import io.p13n.model.ProductRating;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads the serving lists back from Redis for the ranking stage: one pipelined round trip for the
 * lists not in a short-lived cache of parsed lists.
 *
 * <p>The cache: a popular product's list is read by every customer who just looked at it, so
 * without one the ranking stage spent most of the engine's CPU fetching and parsing the same few
 * documents (profile of the replay benchmark). A list is published at most once per {@code
 * recommend.coalesce-interval}, so a parsed copy is kept for that long: a ranking sees a list at
 * most one interval older than the storefront does, which for "customers who viewed this also
 * viewed" is no loss, while the customer's own recent items, cart and purchases (what the ranking
 * is for) are always current. With a 1 s freshness the ranking threads took 11 % of the engine's
 * CPU and one GET per two input events (native profile, realistic bench). Bounded at {@link
 * #MAX_LISTS} lists per subtask: ~30 entries of ~150 heap bytes, ~5 KB each, so ~25 MB, which holds
 * the head of any long-tailed catalogue; the tail is fetched.
 *
 * <p>A list that does not exist is not cached: remembering it as absent would keep a new product's
 * first list from the rankings of its first viewers until their next change.
 *
 * <p>Product ratings (README, Reviews and ratings) are read the same way, from each candidate's
 * rating hash, and cached for {@link #RATING_FRESHNESS}, absent ones too: a product's Bayesian
 * average moves by a hair per review, and a product with too few reviews to be demoted is
 * unaffected anyway, so a rating five minutes old ranks as the current one would. Bounded at {@link
 * #MAX_RATINGS} products per subtask (~100 heap bytes each, ~5 MB).
 */
public final class RedisServingLists implements ServingLists {
    private static final long serialVersionUID = 1L;

    static final int MAX_LISTS = 5_000;

    static final int MAX_RATINGS = 50_000;

    static final Duration RATING_FRESHNESS = Duration.ofMinutes(5);

    /** A product without a rating, cached as such. */
    private static final ProductRating UNRATED = new ProductRating("", 0L, 0L, 0L);

    private final RedisEndpoint endpoint;
    private final RedisKeys keys;

    private final Duration freshness;

    /**
     * @param freshness how long a parsed list is reused: the lists' publication interval ({@code
     *     recommend.coalesce-interval})
     */
    public RedisServingLists(RedisEndpoint endpoint, RedisKeys keys, Duration freshness) {
        this.endpoint = endpoint;
        this.keys = keys;
        this.freshness = freshness;
    }

    @Override
    public Reader open() {
        UnifiedJedis redis = endpoint.connect();
        Cache<String, SimilarItems> similarCache =
                Caffeine.newBuilder().maximumSize(MAX_LISTS).expireAfterWrite(freshness).build();
        // A few hundred categories at most: the same bound is plenty.
        Cache<String, TrendingItems> trendingCache =
                Caffeine.newBuilder().maximumSize(MAX_LISTS).expireAfterWrite(freshness).build();
        Cache<String, ProductRating> ratingCache =
                Caffeine.newBuilder()
                        .maximumSize(MAX_RATINGS)
                        .expireAfterWrite(RATING_FRESHNESS)
                        .build();
        return new Reader() {
            @Override
            public Lists read(Collection<String> itemIds, Collection<String> categoryKeys) {
                Map<String, SimilarItems> similar = new HashMap<>();
                List<String> similarMisses = new ArrayList<>();
                for (String item : itemIds) {
                    SimilarItems cached = similarCache.getIfPresent(item);
                    if (cached != null) {
                        similar.put(item, cached);
                    } else {
                        similarMisses.add(item);
                    }
                }
                Map<String, TrendingItems> trending = new HashMap<>();
                List<String> trendingMisses = new ArrayList<>();
                for (String category : categoryKeys) {
                    TrendingItems cached = trendingCache.getIfPresent(category);
                    if (cached != null) {
                        trending.put(category, cached);
                    } else {
                        trendingMisses.add(category);
                    }
                }
                if (similarMisses.isEmpty() && trendingMisses.isEmpty()) {
                    return new Lists(similar, trending);
                }
                List<String> missingKeys =
                        new ArrayList<>(similarMisses.size() + trendingMisses.size());
                for (String item : similarMisses) {
                    missingKeys.add(keys.similarItems(item));
                }
                for (String category : trendingMisses) {
                    missingKeys.add(RecommendationRedisMappers.trendingKey(keys, category));
                }
                List<String> values = fetch(redis, missingKeys);
                for (int i = 0; i < similarMisses.size(); i++) {
                    String item = similarMisses.get(i);
                    String json = values.get(i);
                    if (json != null) {
                        SimilarItems list = ServingJson.similarItems(item, json);
                        similarCache.put(item, list);
                        similar.put(item, list);
                    }
                }
                for (int i = 0; i < trendingMisses.size(); i++) {
                    String category = trendingMisses.get(i);
                    String json = values.get(similarMisses.size() + i);
                    if (json != null) {
                        TrendingItems list = ServingJson.trendingItems(category, json);
                        trendingCache.put(category, list);
                        trending.put(category, list);
                    }
                }
                return new Lists(similar, trending);
            }

            @Override
            public Map<String, ProductRating> ratings(Collection<String> itemIds) {
                Map<String, ProductRating> found = new HashMap<>();
                List<String> misses = new ArrayList<>();
                for (String item : itemIds) {
                    ProductRating cached = ratingCache.getIfPresent(item);
                    if (cached == null) {
                        misses.add(item);
                    } else if (cached != UNRATED) {
                        found.put(item, cached);
                    }
                }
                if (misses.isEmpty()) {
                    return found;
                }
                List<String> missingKeys = new ArrayList<>(misses.size());
                for (String item : misses) {
                    missingKeys.add(keys.productRating(item));
                }
                List<List<String>> values =
                        fetchHashes(
                                redis,
                                missingKeys,
                                ProductRatingRedisMapper.SUM,
                                ProductRatingRedisMapper.COUNT);
                for (int i = 0; i < misses.size(); i++) {
                    ProductRating rating = parseRating(misses.get(i), values.get(i));
                    ratingCache.put(misses.get(i), rating == null ? UNRATED : rating);
                    if (rating != null) {
                        found.put(misses.get(i), rating);
                    }
                }
                return found;
            }

            @Override
            public void close() {
                redis.close();
            }
        };
    }

    /** A rating hash's sum and count, or null when it does not exist (or is not a rating). */
    static ProductRating parseRating(String item, List<String> sumAndCount) {
        if (sumAndCount == null
                || sumAndCount.size() != 2
                || sumAndCount.get(0) == null
                || sumAndCount.get(1) == null) {
            return null;
        }
        try {
            long sum = Long.parseLong(sumAndCount.get(0));
            long count = Long.parseLong(sumAndCount.get(1));
            return count > 0 ? new ProductRating(item, sum, count, 0L) : null;
        } catch (NumberFormatException e) {
            return null; // not written by this engine: ranked as unrated
        }
    }

    private static List<List<String>> fetchHashes(
            UnifiedJedis redis, List<String> keys, String... fields) {
        try {
            return RedisPipeline.hashFieldsAll(redis, keys, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading product ratings", e);
        }
    }

    /**
     * One pipelined round trip, retried through a failover like the sinks' writes (a cluster client
     * re-reads its slot map first); past the retries the ranking fails its task, which restarts
     * from the last checkpoint with a new client.
     */
    private static List<String> fetch(UnifiedJedis redis, List<String> keys) {
        try {
            return RedisPipeline.getAll(redis, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading serving lists", e);
        }
    }
}
