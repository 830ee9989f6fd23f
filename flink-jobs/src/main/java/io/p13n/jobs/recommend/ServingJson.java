package io.p13n.jobs.recommend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.io.IOException;
import java.io.StringWriter;
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
    /**
     * Jackson's fast double parser and writer (Schubfach / FastDoubleParser): every item carries a
     * score, and the JDK's slow paths for them were a visible share of reading and writing lists.
     */
    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .build();

    private ServingJson() {}

    public static String of(SimilarItems similar) {
        return document(similar.getItems(), similar.getUpdatedAt(), null);
    }

    public static String of(TrendingItems trending) {
        return document(trending.getItems(), trending.getUpdatedAt(), null);
    }

    public static String of(CustomerRecommendations recommendations) {
        return document(
                recommendations.getItems(),
                recommendations.getUpdatedAt(),
                recommendations.getStrategy());
    }

    private static String document(List<ScoredItem> items, long updatedAt, String strategy) {
        // Written with the streaming generator, not built as a tree first: a tree of one object
        // node per item was most of the cost of every list the similar-items and ranking stages
        // publish (native profile). The bytes are the same.
        StringWriter text = new StringWriter(64 + 96 * items.size());
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("updatedAt", Instant.ofEpochMilli(updatedAt).toString());
            if (strategy != null) {
                json.writeStringField("strategy", strategy);
            }
            json.writeArrayFieldStart("items");
            for (ScoredItem item : items) {
                json.writeStartObject();
                json.writeStringField("id", item.getItemId());
                if (item.getCategoryId() != null) {
                    json.writeStringField("category", item.getCategoryId());
                }
                json.writeNumberField("score", round(item.getScore()));
                if (item.getReason() != null) {
                    json.writeStringField("reason", item.getReason());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    // Six decimals: enough to order and compare, far fewer bytes than a full double.
    private static double round(double score) {
        return Math.round(score * 1_000_000) / 1_000_000.0;
    }

    /** A similar-items document as the ranker needs it: one pass over the text. */
    public static SimilarItems similarItems(String itemId, String json) {
        Document document = parse(json);
        return new SimilarItems(itemId, document.items(), document.updatedAt());
    }

    /** A trending document as the ranker needs it: one pass over the text. */
    public static TrendingItems trendingItems(String categoryKey, String json) {
        Document document = parse(json);
        return new TrendingItems(categoryKey, document.items(), document.updatedAt());
    }

    /** The items of a serving document, in order; a missing or unreadable document has none. */
    public static List<ScoredItem> items(String json) {
        return new ArrayList<>(parse(json).items());
    }

    /** When a serving document was computed (event time), or 0 if missing or unreadable. */
    public static long updatedAt(String json) {
        return parse(json).updatedAt();
    }

    /** The strategy of a recommendations document, or null. */
    public static String strategy(String json) {
        return parse(json).strategy();
    }

    /** What a serving document holds; a missing or unreadable one holds no items. */
    public record Document(long updatedAt, String strategy, List<ScoredItem> items) {}

    /**
     * Reads a serving document in one pass with Jackson's streaming parser: the ranking stage reads
     * several per ranking, and parsing a tree (twice, for the items and the time) was a third of
     * the engine's CPU in the profile.
     */
    public static Document parse(String json) {
        if (json == null) {
            return new Document(0, null, List.of());
        }
        List<ScoredItem> items = new ArrayList<>();
        long updatedAt = 0;
        String strategy = null;
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Document(0, null, List.of());
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "updatedAt" -> updatedAt = Instant.parse(parser.getText()).toEpochMilli();
                    case "strategy" -> strategy = parser.getText();
                    case "items" -> readItems(parser, items);
                    default -> parser.skipChildren();
                }
            }
            return new Document(updatedAt, strategy, items);
        } catch (IOException | RuntimeException e) {
            // This job writes these keys; anything else there is not ours to rank from.
            return new Document(0, null, List.of());
        }
    }

    private static void readItems(JsonParser parser, List<ScoredItem> items) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String id = null;
            String category = null;
            double score = 0;
            String reason = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "id" -> id = parser.getText();
                    case "category" -> category = parser.getText();
                    case "score" -> score = parser.getDoubleValue();
                    case "reason" -> reason = parser.getText();
                    default -> parser.skipChildren();
                }
            }
            if (id != null) {
                items.add(new ScoredItem(id, category, score, reason));
            }
        }
    }
}
