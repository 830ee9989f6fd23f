package io.p13n.bench;

import io.p13n.jobs.recommend.ItemNeighbours;
import io.p13n.jobs.recommend.Ranker;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.recommend.ServingJson;
import io.p13n.jobs.recommend.Trending;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ItemNeighboursState;
import io.p13n.model.ItemTransition;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The recommendation stages' own work, without Flink state: an item-keyed neighbour update ({@link
 * ItemNeighbours#apply}) on a full candidate list ({@code recommend.max-candidates} 60), publishing
 * its top 30 ({@link ItemNeighbours#similar}), a customer's ranking ({@link Ranker#rank}) from 10
 * recent items with a 50-item similar list each and the trending lists of 5 categories plus the
 * overall one, and the serving JSON of a similar-items list both ways (written by the similar-items
 * sink, parsed by the async ranking for every Redis GET).
 *
 * <p>Settings are the documented defaults. Ids and categories are shaped like the simulator's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecommendationBenchmark {
    /** Distinct fresh targets cycled through: far more than the 60 kept, so each one is new. */
    private static final int FRESH = 1024;

    private RecommendationSettings settings;
    private ItemNeighboursState neighbours;
    private List<ItemTransition> knownTargets;
    private List<ItemTransition> newTargets;
    private long time;
    private int next;

    private RecommendationRequest request;
    private Map<String, SimilarItems> similarByItem;
    private Map<String, TrendingItems> trendingByCategory;

    private SimilarItems similarList;
    private String similarJson;

    @Setup
    public void setUp() {
        settings = RecommendationSettings.defaults();
        // The sizes the comments below name: a changed default must update them too.
        if (settings.maxCandidates() != 60
                || settings.similarSize() != 30
                || settings.recentItems() != 10) {
            throw new IllegalStateException("defaults changed: " + settings);
        }
        Random random = new Random(11);
        time = Workloads.T0;

        // A full candidate list: 60 neighbours with evidence spread over the last 30 days.
        neighbours = ItemNeighbours.empty("p01234");
        List<String> held = new ArrayList<>();
        for (int i = 0; i < settings.maxCandidates(); i++) {
            String to = product(1_000 + i * 7);
            held.add(to);
            long at = time - 30L * 86_400_000L + i * 25_000_000L;
            ItemNeighbours.apply(
                    neighbours,
                    transition("p01234", to, 1 + random.nextInt(5), at, random),
                    settings);
        }
        if (neighbours.getCandidates().size() != settings.maxCandidates()) {
            throw new IllegalStateException(
                    "candidate list not full: " + neighbours.getCandidates().size());
        }
        knownTargets = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            knownTargets.add(
                    transition("p01234", held.get(random.nextInt(held.size())), 1.0, time, random));
        }
        newTargets = new ArrayList<>();
        for (int i = 0; i < FRESH; i++) {
            newTargets.add(transition("p01234", product(20_000 + i), 1.0, time, random));
        }

        // The ranking: 10 recent items, a 50-item similar list each (overlapping, from a 2,000-item
        // pool), trending lists for the customer's 5 categories and overall.
        List<String> recent = new ArrayList<>();
        similarByItem = new HashMap<>();
        for (int i = 0; i < settings.recentItems(); i++) {
            String item = product(random.nextInt(2_000));
            recent.add(item);
            similarByItem.put(item, similarItems(item, random, time));
        }
        List<CategoryScore> categories = new ArrayList<>();
        trendingByCategory = new HashMap<>();
        for (int c = 0; c < 5; c++) {
            String category = String.format("cat%03d", c);
            categories.add(new CategoryScore(category, 10.0 / (c + 1), time));
            trendingByCategory.put(
                    Trending.categoryKey(category), trending(category, random, time));
        }
        trendingByCategory.put(Trending.OVERALL, trending(Trending.OVERALL, random, time));
        request =
                new RecommendationRequest(
                        "c0012345",
                        recent,
                        List.of(product(random.nextInt(2_000)), product(random.nextInt(2_000))),
                        List.of(
                                product(random.nextInt(2_000)),
                                product(random.nextInt(2_000)),
                                product(random.nextInt(2_000))),
                        categories,
                        time,
                        false);

        similarList = ItemNeighbours.similar(neighbours, time, settings);
        if (similarList.getItems().size() != settings.similarSize()) {
            throw new IllegalStateException("similar list: " + similarList.getItems().size());
        }
        similarJson = ServingJson.of(similarList);
    }

    private static String product(int p) {
        return String.format("p%05d", p);
    }

    private static ItemTransition transition(
            String from, String to, double weight, long at, Random random) {
        int p = Integer.parseInt(to.substring(1));
        return new ItemTransition(
                from,
                to,
                String.format("cat%03d", p % 12),
                weight,
                1.0 + random.nextInt(500),
                at,
                random.nextInt(10) == 0);
    }

    private static SimilarItems similarItems(String item, Random random, long now) {
        List<ScoredItem> items = new ArrayList<>();
        double score = 5.0;
        for (int i = 0; i < 50; i++) {
            int p = random.nextInt(2_000);
            score *= 0.9 + random.nextDouble() * 0.1;
            items.add(
                    new ScoredItem(
                            product(p),
                            String.format("cat%03d", p % 12),
                            score,
                            "viewed together with " + item));
        }
        return new SimilarItems(item, items, now);
    }

    private static TrendingItems trending(String category, Random random, long now) {
        List<ScoredItem> items = new ArrayList<>();
        double score = 100.0;
        for (int i = 0; i < 50; i++) {
            int p = random.nextInt(2_000);
            score *= 0.9 + random.nextDouble() * 0.1;
            String cat =
                    Trending.OVERALL.equals(category) ? String.format("cat%03d", p % 12) : category;
            items.add(new ScoredItem(product(p), cat, score, "trending in " + cat));
        }
        return new TrendingItems(category, items, now);
    }

    /** A transition to one of the 60 held neighbours: a scan to it and an in-place update. */
    @Benchmark
    public ItemNeighboursState neighboursApplyKnownTarget() {
        ItemTransition t = knownTargets.get(next++ & 63);
        t.setEventTime(time += 1_000);
        ItemNeighbours.apply(neighbours, t, settings);
        return neighbours;
    }

    /** A transition to an item not held: a full scan, an add, and a scan to evict the weakest. */
    @Benchmark
    public ItemNeighboursState neighboursApplyNewTargetEvicting() {
        ItemTransition t = newTargets.get(next++ & (FRESH - 1));
        t.setEventTime(time += 1_000);
        ItemNeighbours.apply(neighbours, t, settings);
        return neighbours;
    }

    /** The published top 30 of the 60 candidates. */
    @Benchmark
    public SimilarItems neighboursSimilarTop50() {
        return ItemNeighbours.similar(neighbours, time, settings);
    }

    /** One customer's ranking from 10 similar lists of 50 and 6 trending lists of 50. */
    @Benchmark
    public CustomerRecommendations rank() {
        return Ranker.rank(request, similarByItem, trendingByCategory, settings);
    }

    /** A 30-item similar list to its serving JSON (what the similar-items sink writes). */
    @Benchmark
    public String servingJsonWriteSimilar() {
        return ServingJson.of(similarList);
    }

    /**
     * The serving JSON back to a similar-items list (what the async ranking does per Redis GET).
     */
    @Benchmark
    public SimilarItems servingJsonParseSimilar() {
        return ServingJson.similarItems("p01234", similarJson);
    }
}
