package io.p13n.cli.eval;

import io.p13n.cli.bench.ProgressLine;
import io.p13n.cli.replay.DatasetFormat;
import io.p13n.cli.traffic.DurationConverter;
import io.p13n.jobs.recommend.RecommendationSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eval recommendations}: next-item prediction on session click logs with session-rec's
 * protocol, the engine frozen after training and learning live, next to the lists other algorithms
 * saved for the same test sessions and a popularity baseline.
 */
@Command(
        name = "recommendations",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluate the recommender on session click logs: train on the training clicks in time order,",
            "then after every click of a test session but the last, recommend and score where the next",
            "click ranks (HR@20, MRR@20; only test items seen in training are kept, as in session-rec).",
            "frozen: the model does not learn from test clicks (the published protocol);",
            "live: it keeps learning from them, replayed in time order, as the job does.",
            "",
            "Examples:",
            "  eval recommendations --train yoochoose-clicks-100k_train_full.txt --test yoochoose-clicks-100k_test.txt \\",
            "       --baselines /work/shared/datasets/rsc15-100k",
            "  eval recommendations --sessions sample_train-item-views.csv --format diginetica --test-days 7"
        })
public final class RecommendationsEvalCommand implements Callable<Integer> {
    private static final int PROGRESS_EVERY = 500;

    @Spec CommandSpec spec;

    @Option(names = "--train", paramLabel = "FILE", description = "Training clicks.")
    Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "Test clicks.")
    Path test;

    @Option(
            names = "--sessions",
            paramLabel = "FILE",
            description = "Instead of --train/--test: one file, split by time (see --test-days).")
    Path sessions;

    @Option(
            names = "--test-days",
            defaultValue = "7",
            description =
                    "With --sessions: sessions that end in the last N days of the file are the test set (default: ${DEFAULT-VALUE}, as SR-GNN splits Diginetica).")
    int testDays;

    @Option(
            names = "--format",
            defaultValue = "auto",
            description =
                    "yoochoose (session-rec's SessionId ItemId Time), diginetica, or auto (default: ${DEFAULT-VALUE}: detected from the first line).")
    String format;

    @Option(
            names = "--baselines",
            paramLabel = "DIR",
            description =
                    "Directory with session-rec's saved lists recoms_*.csv (SessionId;Position;Recommendations;Scores), scored on the same predictions.")
    Path baselines;

    @Option(
            names = "--limit-sessions",
            paramLabel = "N",
            description =
                    "Only the first N test sessions, in file order (live mode then learns from those only).")
    Integer limitSessions;

    @Option(
            names = "--mode",
            defaultValue = "both",
            description = "frozen, live or both (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--cutoff",
            defaultValue = "20",
            description = "List length scored (default: ${DEFAULT-VALUE}).")
    int cutoff;

    // Settings overrides, for tuning on a validation split; unset = the job's defaults.

    @Option(
            names = "--exclude-recently-viewed",
            defaultValue = "0",
            description =
                    "Last viewed items not recommended (default: ${DEFAULT-VALUE}: shoppers re-click items, so next-click prediction must allow them; the job default is 3).")
    int excludeRecentlyViewed;

    @Option(names = "--alpha", description = "Popularity exponent (recommend.popularity-exponent).")
    Double alpha;

    @Option(names = "--max-distance", description = "recommend.max-predecessor-distance.")
    Integer maxDistance;

    @Option(names = "--backward-weight", description = "recommend.backward-weight.")
    Double backwardWeight;

    @Option(names = "--revisit-weight", description = "recommend.revisit-weight.")
    Double revisitWeight;

    @Option(names = "--recent-items", description = "recommend.recent-items.")
    Integer recentItems;

    @Option(names = "--max-candidates", description = "recommend.max-candidates.")
    Integer maxCandidates;

    @Option(names = "--similar-size", description = "recommend.similar-size.")
    Integer similarSize;

    @Option(
            names = "--neighbours-half-life",
            converter = DurationConverter.class,
            description = "recommend.neighbours.half-life, e.g. 1d.")
    Duration neighboursHalfLife;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        boolean frozen = mode.equalsIgnoreCase("frozen") || mode.equalsIgnoreCase("both");
        boolean live = mode.equalsIgnoreCase("live") || mode.equalsIgnoreCase("both");
        if (!frozen && !live) {
            throw new ParameterException(
                    spec.commandLine(), "--mode must be frozen, live or both, not " + mode);
        }
        if ((sessions == null) == (train == null || test == null)
                || (sessions != null && (train != null || test != null))) {
            throw new ParameterException(
                    spec.commandLine(), "give --train and --test, or --sessions");
        }
        if (cutoff < 1 || testDays < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--cutoff and --test-days must be at least 1");
        }
        DatasetFormat fileFormat =
                format.equalsIgnoreCase("auto") ? null : DatasetFormat.byName(format);
        RecommendationSettings settings = settings();

        SessionLog trainSplit;
        SessionLog rawTest;
        if (sessions != null) {
            SessionLog all = SessionLog.read(sessions, fileFormat);
            long lastEnd = all.sessions().stream().mapToLong(Session::endTime).max().orElse(0);
            // session-rec and SR-GNN split by the day a session ends: the last N days are the test
            // set.
            long splitDay =
                    Instant.ofEpochMilli(lastEnd)
                            .atOffset(ZoneOffset.UTC)
                            .toLocalDate()
                            .minusDays(testDays - 1L)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toEpochMilli();
            trainSplit = all.filter(s -> s.endTime() < splitDay);
            rawTest = all.filter(s -> s.endTime() >= splitDay);
            out.printf(
                    Locale.ROOT,
                    "Split %s: sessions ending before %s train, the rest (the last %d days) test.%n",
                    sessions.getFileName(),
                    Instant.ofEpochMilli(splitDay),
                    testDays);
        } else {
            trainSplit = SessionLog.read(train, fileFormat);
            rawTest = SessionLog.read(test, fileFormat);
        }
        SessionLog trainLog = trainSplit;
        SessionLog kept = rawTest.keepItems(trainLog.items());
        SessionLog testLog =
                limitSessions == null
                        ? kept
                        : new SessionLog(
                                kept.sessions()
                                        .subList(
                                                0,
                                                Math.min(limitSessions, kept.sessions().size())));
        out.printf(
                Locale.ROOT,
                "Training: %,d clicks, %,d sessions, %,d items. Test: %,d of %,d sessions (%,d clicks) after keeping"
                        + " items seen in training, %,d predictions.%n",
                trainLog.clickCount(),
                trainLog.sessions().size(),
                trainLog.items().size(),
                testLog.sessions().size(),
                rawTest.sessions().size(),
                testLog.clickCount(),
                testLog.predictionCount());
        out.println("Settings: " + describe(settings));
        out.flush();

        Map<String, Map<PredictionKey, List<String>>> runs = new LinkedHashMap<>();
        runs.put("popularity", NextItemEvaluation.popularity(trainLog, testLog, cutoff));
        int total = testLog.predictionCount();
        if (frozen) {
            runs.put(
                    "ours (frozen)",
                    run(
                            "frozen",
                            total,
                            p ->
                                    NextItemEvaluation.frozen(
                                            trainLog, testLog, settings, cutoff, p)));
        }
        if (live) {
            runs.put(
                    "ours (live)",
                    run(
                            "live",
                            total,
                            p -> NextItemEvaluation.live(trainLog, testLog, settings, cutoff, p)));
        }

        if (baselines != null) {
            Map<String, Map<PredictionKey, List<String>>> saved = readBaselines(baselines);
            if (!saved.isEmpty()) {
                List<PredictionKey> common =
                        new ArrayList<>(saved.values().iterator().next().keySet());
                for (Map<PredictionKey, List<String>> lists : saved.values()) {
                    common.retainAll(lists.keySet());
                }
                out.printf(
                        Locale.ROOT,
                        "%nOn the %,d predictions of the saved lists in %s (the same sessions and positions for every row):%n",
                        common.size(),
                        baselines);
                Map<String, NextItemMetrics> rows = new LinkedHashMap<>();
                saved.forEach(
                        (name, lists) ->
                                rows.put(
                                        name,
                                        NextItemEvaluation.score(lists, testLog, common, cutoff)));
                runs.forEach(
                        (name, lists) ->
                                rows.put(
                                        name,
                                        NextItemEvaluation.score(lists, testLog, common, cutoff)));
                out.print(table(rows, cutoff));
            }
        }
        out.printf(
                Locale.ROOT,
                "%nOn %s (%,d sessions, %,d predictions):%n",
                limitSessions == null
                        ? "the whole test set"
                        : "the first " + limitSessions + " test sessions",
                testLog.sessions().size(),
                total);
        Map<String, NextItemMetrics> rows = new LinkedHashMap<>();
        runs.forEach(
                (name, lists) ->
                        rows.put(name, NextItemEvaluation.score(lists, testLog, null, cutoff)));
        out.print(table(rows, cutoff));
        out.flush();
        return 0;
    }

    private Map<PredictionKey, List<String>> run(
            String name,
            int total,
            java.util.function.Function<IntConsumer, Map<PredictionKey, List<String>>> evaluation) {
        ProgressLine progress = new ProgressLine(System.err);
        progress.update(name + ": training");
        Map<PredictionKey, List<String>> lists =
                evaluation.apply(
                        done -> {
                            if (done % PROGRESS_EVERY == 0) {
                                progress.update(
                                        String.format(
                                                Locale.ROOT,
                                                "%s: %,d / %,d predictions",
                                                name,
                                                done,
                                                total));
                            }
                        });
        progress.done(String.format(Locale.ROOT, "%s: %,d predictions", name, lists.size()));
        return lists;
    }

    private RecommendationSettings settings() {
        RecommendationSettings s =
                RecommendationSettings.defaults().withExcludeRecentlyViewed(excludeRecentlyViewed);
        if (alpha != null) {
            s = s.withPopularityExponent(alpha);
        }
        if (maxDistance != null) {
            s = s.withTrail(Math.max(s.trailLength(), maxDistance), maxDistance);
        }
        if (backwardWeight != null) {
            s = s.withBackwardWeight(backwardWeight);
        }
        if (revisitWeight != null) {
            s = s.withRevisitWeight(revisitWeight);
        }
        if (recentItems != null) {
            s = s.withRecentItems(recentItems);
        }
        if (maxCandidates != null || similarSize != null || neighboursHalfLife != null) {
            s =
                    s.withNeighbours(
                            neighboursHalfLife == null
                                    ? s.neighboursHalfLifeMillis()
                                    : neighboursHalfLife.toMillis(),
                            maxCandidates == null ? s.maxCandidates() : maxCandidates,
                            similarSize == null ? s.similarSize() : similarSize);
        }
        return s;
    }

    private static String describe(RecommendationSettings s) {
        return String.format(
                Locale.ROOT,
                "trail %d, max predecessor distance %d, backward weight %s, session timeout %s, neighbours half-life %s, max candidates %d,"
                        + " similar size %d, popularity exponent %s, popularity half-life %s, recent items %d, revisit weight %s,"
                        + " exclude recently viewed %d, per-category cap %d, list size %d",
                s.trailLength(),
                s.maxPredecessorDistance(),
                s.backwardWeight(),
                Duration.ofMillis(s.sessionTimeoutMillis()),
                Duration.ofMillis(s.neighboursHalfLifeMillis()),
                s.maxCandidates(),
                s.similarSize(),
                s.popularityExponent(),
                Duration.ofMillis(s.popularityHalfLifeMillis()),
                s.recentItems(),
                s.revisitWeight(),
                s.excludeRecentlyViewed(),
                s.perCategoryCap(),
                s.size());
    }

    /**
     * Every {@code recoms_*.csv} in the directory, named by its last {@code _} part (ar, sr, vsknn,
     * gru4rec).
     */
    static Map<String, Map<PredictionKey, List<String>>> readBaselines(Path dir)
            throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files =
                    list.filter(p -> p.getFileName().toString().matches("recoms_.*\\.csv"))
                            .sorted()
                            .toList();
        }
        Map<String, Map<PredictionKey, List<String>>> out = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString().replaceAll("\\.csv$", "");
            out.put(
                    displayName(name.substring(name.lastIndexOf('_') + 1)),
                    BaselineLists.read(file));
        }
        return out;
    }

    private static String displayName(String algorithm) {
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "ar" -> "AR (association rules)";
            case "sr" -> "SR (sequential rules)";
            case "vsknn" -> "V-SKNN";
            case "gru4rec" -> "GRU4Rec";
            default -> algorithm;
        };
    }

    static String table(Map<String, NextItemMetrics> rows, int k) {
        StringBuilder out = new StringBuilder();
        String header =
                String.format(
                        Locale.ROOT,
                        "%-24s %8s %8s %12s",
                        "algorithm",
                        "HR@" + k,
                        "MRR@" + k,
                        "predictions");
        out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        rows.forEach(
                (name, m) ->
                        out.append(
                                String.format(
                                        Locale.ROOT,
                                        "%-24s %8.4f %8.4f %,12d%n",
                                        name,
                                        m.hitRate(),
                                        m.mrr(),
                                        m.predictions())));
        return out.toString();
    }
}
