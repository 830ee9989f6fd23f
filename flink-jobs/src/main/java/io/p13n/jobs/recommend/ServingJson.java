package io.p13n.jobs.recommend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON documents the storefront reads from Redis, and back. One shape for every list:
 *
 * <pre>
 * {"updatedAt": "2026-11-23T15:04:05Z", "strategy": "neighbours",   (recommendations only)
 *  "items": [{"id": "P12", "category": "C3", "score": 0.8123, "reason": "viewed together with P7"}, ...]}
 * </pre>
 *
 * Items are in rank order; scores are comparable within one list only. The ranking stage reads the
 * similar-items and trending documents back with {@link #items}, so what it ranks from is exactly
 * what the storefront sees.
 */
public final class ServingJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServingJson() {}

  public static String of(SimilarItems similar) {
    return document(similar.getItems(), similar.getUpdatedAt(), null);
  }

  public static String of(TrendingItems trending) {
    return document(trending.getItems(), trending.getUpdatedAt(), null);
  }

  public static String of(CustomerRecommendations recommendations) {
    return document(recommendations.getItems(), recommendations.getUpdatedAt(), recommendations.getStrategy());
  }

  private static String document(List<ScoredItem> items, long updatedAt, String strategy) {
    ObjectNode root = JSON.createObjectNode();
    root.put("updatedAt", Instant.ofEpochMilli(updatedAt).toString());
    if (strategy != null) {
      root.put("strategy", strategy);
    }
    ArrayNode array = root.putArray("items");
    for (ScoredItem item : items) {
      ObjectNode node = array.addObject();
      node.put("id", item.getItemId());
      if (item.getCategoryId() != null) {
        node.put("category", item.getCategoryId());
      }
      node.put("score", round(item.getScore()));
      if (item.getReason() != null) {
        node.put("reason", item.getReason());
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Six decimals: enough to order and compare, far fewer bytes than a full double.
  private static double round(double score) {
    return Math.round(score * 1_000_000) / 1_000_000.0;
  }

  /** A similar-items document as the ranker needs it. */
  public static SimilarItems similarItems(String itemId, String json) {
    return new SimilarItems(itemId, items(json), updatedAt(json));
  }

  /** The items of a serving document, in order; a missing or unreadable document has none. */
  public static List<ScoredItem> items(String json) {
    List<ScoredItem> items = new ArrayList<>();
    if (json == null) {
      return items;
    }
    try {
      for (JsonNode node : JSON.readTree(json).path("items")) {
        items.add(
            new ScoredItem(
                node.path("id").asText(),
                node.hasNonNull("category") ? node.get("category").asText() : null,
                node.path("score").asDouble(),
                node.hasNonNull("reason") ? node.get("reason").asText() : null));
      }
    } catch (JsonProcessingException e) {
      // This job writes these keys; anything else there is not ours to rank from.
      items.clear();
    }
    return items;
  }

  /** When a serving document was computed (event time), or 0 if missing or unreadable. */
  public static long updatedAt(String json) {
    try {
      JsonNode node = json == null ? null : JSON.readTree(json).path("updatedAt");
      return node != null && node.isTextual() ? Instant.parse(node.asText()).toEpochMilli() : 0;
    } catch (JsonProcessingException | java.time.DateTimeException e) {
      return 0;
    }
  }

  /** The strategy of a recommendations document, or null. */
  public static String strategy(String json) {
    try {
      JsonNode node = json == null ? null : JSON.readTree(json).path("strategy");
      return node != null && node.isTextual() ? node.asText() : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
