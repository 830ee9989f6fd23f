package io.p13n.jobs.recommend;

import io.p13n.jobs.redis.RedisEndpoint;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** Reads the serving lists back from Redis: one pipelined round trip per ranking. */
public final class RedisServingLists implements ServingLists {
  private static final long serialVersionUID = 1L;

  private final RedisEndpoint endpoint;
  private final RedisKeys keys;

  public RedisServingLists(RedisEndpoint endpoint, RedisKeys keys) {
    this.endpoint = endpoint;
    this.keys = keys;
  }

  @Override
  public Reader open() {
    UnifiedJedis redis = endpoint.connect();
    return new Reader() {
      @Override
      public Lists read(Collection<String> itemIds, Collection<String> categoryKeys) {
        List<Response<String>> similarReplies = new ArrayList<>(itemIds.size());
        List<Response<String>> trendingReplies = new ArrayList<>(categoryKeys.size());
        // GETs rather than one MGET: on a Redis Cluster the keys live in different slots.
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (String item : itemIds) {
            similarReplies.add(pipeline.get(keys.similarItems(item)));
          }
          for (String category : categoryKeys) {
            trendingReplies.add(pipeline.get(RecommendationRedisMappers.trendingKey(keys, category)));
          }
          pipeline.sync();
        }
        Map<String, SimilarItems> similar = new HashMap<>();
        int i = 0;
        for (String item : itemIds) {
          String json = similarReplies.get(i++).get();
          if (json != null) {
            similar.put(item, ServingJson.similarItems(item, json));
          }
        }
        Map<String, TrendingItems> trending = new HashMap<>();
        i = 0;
        for (String category : categoryKeys) {
          String json = trendingReplies.get(i++).get();
          if (json != null) {
            trending.put(category, new TrendingItems(category, ServingJson.items(json), ServingJson.updatedAt(json)));
          }
        }
        return new Lists(similar, trending);
      }

      @Override
      public void close() {
        redis.close();
      }
    };
  }
}
