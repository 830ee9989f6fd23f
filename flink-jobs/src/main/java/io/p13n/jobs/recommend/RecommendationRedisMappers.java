package io.p13n.jobs.recommend;

import io.p13n.jobs.redis.RedisDelete;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisValueWrite;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import org.apache.flink.util.function.SerializableFunction;

/** The Redis writes of the recommendation lists: one JSON document per key, replaced whole. */
public final class RecommendationRedisMappers {
    private RecommendationRedisMappers() {}

    public static RedisMapper<SimilarItems> similarItems(RedisKeys keys, long ttlMillis) {
        return new JsonDocument<>(
                similar -> keys.similarItems(similar.getItemId()), ServingJson::of, ttlMillis);
    }

    public static RedisMapper<TrendingItems> trending(RedisKeys keys, long ttlMillis) {
        return new JsonDocument<>(
                trending -> trendingKey(keys, trending.getCategoryId()),
                ServingJson::of,
                ttlMillis);
    }

    public static RedisMapper<CustomerRecommendations> recommendations(
            RedisKeys keys, long ttlMillis) {
        RedisMapper<CustomerRecommendations> document =
                new JsonDocument<>(
                        recommendations -> keys.recommendations(recommendations.getCustomerId()),
                        ServingJson::of,
                        ttlMillis);
        return new RedisMapper<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public RedisWrite toWrite(CustomerRecommendations recommendations) {
                return recommendations.getErased()
                        ? new RedisDelete(keyOf(recommendations))
                        : document.toWrite(recommendations);
            }

            @Override
            public String keyOf(CustomerRecommendations recommendations) {
                return document.keyOf(recommendations);
            }
        };
    }

    /** The Redis key of a trending list: {@link Trending#OVERALL} is the overall list. */
    public static String trendingKey(RedisKeys keys, String categoryKey) {
        return Trending.OVERALL.equals(categoryKey) ? keys.trending() : keys.trending(categoryKey);
    }

    /** An element written as one JSON value under its key, with a TTL. */
    private record JsonDocument<T>(
            SerializableFunction<T, String> key,
            SerializableFunction<T, String> json,
            long ttlMillis)
            implements RedisMapper<T> {
        @Override
        public RedisWrite toWrite(T element) {
            return new RedisValueWrite(key.apply(element), json.apply(element), ttlMillis);
        }

        @Override
        public String keyOf(T element) {
            return key.apply(element);
        }
    }
}
