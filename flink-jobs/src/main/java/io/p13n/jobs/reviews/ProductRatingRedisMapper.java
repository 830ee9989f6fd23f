package io.p13n.jobs.reviews;

import io.p13n.jobs.profile.Decimals;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.ProductRating;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A product's rating as the storefront reads it: the hash {@link RedisKeys#productRating} with
 * {@code avg} (two decimals), {@code count}, {@code sum} (what ranking reads, exact) and {@code
 * updatedAt} (ISO-8601, the newest review), written whole on every change; it expires with the
 * catalog stage's state of it, a year after the last review.
 */
public final class ProductRatingRedisMapper implements RedisMapper<ProductRating> {
    private static final long serialVersionUID = 1L;

    /** Hash fields. */
    public static final String AVG = "avg";

    public static final String COUNT = "count";
    public static final String SUM = "sum";
    public static final String UPDATED_AT = "updatedAt";

    private final RedisKeys keys;
    private final long ttlMillis;

    public ProductRatingRedisMapper(RedisKeys keys, Duration ttl) {
        if (keys == null || ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("keys and a positive TTL are required");
        }
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public RedisWrite toWrite(ProductRating rating) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(
                AVG,
                Decimals.fixed(
                        ProductRatings.average(rating.getRatingSum(), rating.getRatings()), 2));
        fields.put(COUNT, Long.toString(rating.getRatings()));
        fields.put(SUM, Long.toString(rating.getRatingSum()));
        fields.put(UPDATED_AT, Instant.ofEpochMilli(rating.getUpdatedAt()).toString());
        return new RedisHashWrite(keyOf(rating), fields, ttlMillis);
    }

    @Override
    public String keyOf(ProductRating rating) {
        return keys.productRating(rating.getProductId());
    }
}
