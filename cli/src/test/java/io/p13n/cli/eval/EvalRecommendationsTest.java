package io.p13n.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.p13n.cli.PersonalizeCli;
import io.p13n.cli.replay.DatasetFormat;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.testing.Datasets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvalRecommendationsTest {
    private static final int K = 20;

    @Test
    void shouldComputeHitRateAndMrrAsDerivedByHand() {
        NextItemMetrics m = new NextItemMetrics(K);
        m.record(List.of("a", "b", "c"), "b"); // rank 2: hit, 1/2
        m.record(List.of("a", "b", "c"), "a"); // rank 1: hit, 1
        m.record(List.of("x", "y"), "z"); // not in the list: miss, 0
        List<String> long21 =
                new ArrayList<>(IntStream.range(0, 20).mapToObj(i -> "i" + i).toList());
        long21.add("late");
        m.record(long21, "late"); // rank 21: beyond the cut-off, miss

        // HR = 2/4, MRR = (1/2 + 1 + 0 + 0) / 4
        assertThat(m.predictions()).isEqualTo(4);
        assertThat(m.hitRate()).isEqualTo(0.5);
        assertThat(m.mrr()).isCloseTo(0.375, within(1e-12));
    }

    @Test
    void shouldScoreEveryPositionButTheLastAgainstTheNextItem() {
        SessionLog test =
                SessionLog.of(
                        List.of(
                                click("1", "A", 1),
                                click("1", "B", 2),
                                click("1", "C", 3),
                                click("2", "D", 4),
                                click("2", "E", 5)));
        Map<PredictionKey, List<String>> lists =
                Map.of(
                        new PredictionKey("1", 0), List.of("B", "X"), // next B at rank 1
                        new PredictionKey("1", 1),
                                List.of(
                                        "X", "Y",
                                        "C")); // next C at rank 3; ("2", 0) has no list: a miss

        NextItemMetrics m = NextItemEvaluation.score(lists, test, null, K);
        // HR = 2/3, MRR = (1 + 1/3) / 3 = 4/9
        assertThat(m.predictions()).isEqualTo(3);
        assertThat(m.hitRate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.mrr()).isCloseTo(4.0 / 9, within(1e-12));

        NextItemMetrics only =
                NextItemEvaluation.score(lists, test, List.of(new PredictionKey("1", 1)), K);
        assertThat(only.predictions()).isEqualTo(1);
        assertThat(only.mrr()).isCloseTo(1.0 / 3, within(1e-12));
        assertThatThrownBy(
                        () ->
                                NextItemEvaluation.score(
                                        lists, test, List.of(new PredictionKey("1", 2)), K))
                .isInstanceOf(IllegalArgumentException.class); // the last click has no next item
    }

    @Test
    void shouldKeepOnlyItemsSeenInTrainingAndSessionsThatStillHaveTwoClicks() {
        SessionLog test =
                SessionLog.of(
                        List.of(
                                click("1", "A", 1),
                                click("1", "NEW", 2),
                                click("1", "B", 3),
                                click("2", "A", 4),
                                click("2", "NEW", 5)));

        SessionLog kept = test.keepItems(Set.of("A", "B"));
        assertThat(kept.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.items()).containsExactly("A", "B"));
        assertThat(kept.predictionCount()).isEqualTo(1);
    }

    @Test
    void shouldLearnLiveFromTestClicksButNotWhenFrozen() {
        SessionLog train = SessionLog.of(List.of(click("t", "A", 1), click("t", "B", 2)));
        // two test sessions interleaved in time: the first teaches C -> D before the second asks
        SessionLog test =
                SessionLog.of(
                        List.of(
                                click("1", "C", 10),
                                click("1", "D", 11),
                                click("2", "C", 12),
                                click("2", "D", 13)));
        RecommendationSettings s = RecommendationSettings.defaults().withExcludeRecentlyViewed(0);

        PredictionKey secondAsks = new PredictionKey("2", 0);
        assertThat(NextItemEvaluation.live(train, test, s, K, n -> {}).get(secondAsks))
                .contains("D");
        assertThat(NextItemEvaluation.frozen(train, test, s, K, n -> {}).get(secondAsks))
                .doesNotContain("D");
    }

    @Test
    void shouldParseTheSavedBaselineListsIntoThe387PredictionsOfTheFirst99TestSessions()
            throws Exception {
        Path dir = Datasets.require("rsc15-100k/recoms_rsc15_100k_sr.csv").getParent();
        Path trainFile = Datasets.require("rsc15-100k/yoochoose-clicks-100k_train_full.txt");
        Path testFile = Datasets.require("rsc15-100k/yoochoose-clicks-100k_test.txt");

        Map<String, Map<PredictionKey, List<String>>> baselines =
                RecommendationsEvalCommand.readBaselines(dir);
        assertThat(baselines).hasSize(4);
        SessionLog train = SessionLog.read(trainFile, DatasetFormat.YOOCHOOSE);
        SessionLog test =
                SessionLog.read(testFile, DatasetFormat.YOOCHOOSE).keepItems(train.items());
        SessionLog first99 = new SessionLog(test.sessions().subList(0, 99));
        for (Map<PredictionKey, List<String>> lists : baselines.values()) {
            assertThat(lists).hasSize(387);
            assertThat(lists.values()).allSatisfy(l -> assertThat(l).hasSize(50));
            Set<String> sessions = new HashSet<>();
            lists.keySet().forEach(k -> sessions.add(k.sessionId()));
            assertThat(sessions).hasSize(99);
            // every saved list is a prediction of our test set, and they are all of the first 99
            // sessions'
            assertThat(NextItemEvaluation.score(lists, first99, lists.keySet(), K).predictions())
                    .isEqualTo(387);
        }
        assertThat(first99.predictionCount()).isEqualTo(387);
    }

    @Test
    void shouldBeatEverySavedBaselineFrozenOnTheRealRsc15Files() throws Exception {
        Path dir = Datasets.require("rsc15-100k/yoochoose-clicks-100k_test.txt").getParent();
        Datasets.require("rsc15-100k/recoms_rsc15_100k_vsknn.csv");
        StringWriter out = new StringWriter();
        CommandLine cli = PersonalizeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));

        int exit =
                cli.execute(
                        "eval",
                        "recommendations",
                        "--train",
                        dir.resolve("yoochoose-clicks-100k_train_full.txt").toString(),
                        "--test",
                        dir.resolve("yoochoose-clicks-100k_test.txt").toString(),
                        "--baselines",
                        dir.toString(),
                        "--limit-sessions",
                        "99",
                        "--mode",
                        "frozen");

        assertThat(exit).as(out.toString()).isZero();
        String report = out.toString();
        assertThat(report)
                .contains(
                        "On the 387 predictions",
                        "V-SKNN",
                        "GRU4Rec",
                        "SR (sequential rules)",
                        "AR (association rules)");
        double[] ours = row(report, "ours (frozen)");
        double[] pop = row(report, "popularity");
        // measured: ours 0.6408 / 0.3592, the best saved list (V-SKNN) 0.6098 / 0.3342
        for (String baseline :
                List.of("AR (association rules)", "SR (sequential rules)", "V-SKNN", "GRU4Rec")) {
            double[] theirs = row(report, baseline);
            assertThat(ours[0]).as("HR@20 against " + baseline).isGreaterThan(theirs[0]);
            assertThat(ours[1]).as("MRR@20 against " + baseline).isGreaterThan(theirs[1]);
        }
        assertThat(row(report, "V-SKNN")[0])
                .isCloseTo(0.6098, within(1e-4)); // the saved list, scored by our code
        assertThat(pop[0]).isLessThan(0.15);
    }

    /** HR and MRR of the first table row starting with {@code name}. */
    private static double[] row(String report, String name) {
        for (String line : report.split("\n")) {
            if (line.startsWith(name)) {
                String[] f = line.substring(name.length()).trim().split("\\s+");
                return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
            }
        }
        throw new AssertionError("no row " + name + " in\n" + report);
    }

    private static ClickEvent click(String session, String item, long second) {
        return ClickEvent.newBuilder()
                .setEventId(session + ":" + second)
                .setCustomerId("s" + session)
                .setSessionId(session)
                .setType(ClickType.PRODUCT_VIEW)
                .setProductId(item)
                .setEventTime(Instant.ofEpochSecond(1_400_000_000L + second))
                .build();
    }
}
