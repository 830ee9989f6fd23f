package io.p13n.jobs.recommend;

import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisValueWrite;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;

/** The Redis writes of the recommendation lists: one JSON document per key, replaced whole. */
public final class RecommendationRedisMappers {
  private RecommendationRedisMappers() {}

  public static RedisMapper<SimilarItems> similarItems(RedisKeys keys, long ttlMillis) {
    return new RedisMapper<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public RedisWrite toWrite(SimilarItems similar) {
        return new RedisValueWrite(keyOf(similar), ServingJson.of(similar), ttlMillis);
      }

      @Override
      public String keyOf(SimilarItems similar) {
        return keys.similarItems(similar.getItemId());
      }
    };
  }

  public static RedisMapper<TrendingItems> trending(RedisKeys keys, long ttlMillis) {
    return new RedisMapper<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public RedisWrite toWrite(TrendingItems trending) {
        return new RedisValueWrite(keyOf(trending), ServingJson.of(trending), ttlMillis);
      }

      @Override
      public String keyOf(TrendingItems trending) {
        return trendingKey(keys, trending.getCategoryId());
      }
    };
  }

  public static RedisMapper<CustomerRecommendations> recommendations(RedisKeys keys, long ttlMillis) {
    return new RedisMapper<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public RedisWrite toWrite(CustomerRecommendations recommendations) {
        return new RedisValueWrite(keyOf(recommendations), ServingJson.of(recommendations), ttlMillis);
      }

      @Override
      public String keyOf(CustomerRecommendations recommendations) {
        return keys.recommendations(recommendations.getCustomerId());
      }
    };
  }

  /** The Redis key of a trending list: {@link Trending#OVERALL} is the overall list. */
  public static String trendingKey(RedisKeys keys, String categoryKey) {
    return Trending.OVERALL.equals(categoryKey) ? keys.trending() : keys.trending(categoryKey);
  }
}
