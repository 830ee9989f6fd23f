package io.p13n.jobs;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.config.EngineOptions;
import io.p13n.jobs.offers.RecentDecisionsRedisMapper;
import io.p13n.jobs.profile.SegmentHistoryRedisMapper;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisListPush;
import io.p13n.jobs.testing.CampaignSources;
import io.p13n.jobs.testing.CollectedOutputs;
import io.p13n.jobs.testing.SourceRecords;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.OfferOutcome;
import io.p13n.model.RecentDecision;
import io.p13n.model.SegmentChange;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Customer 360 histories through the whole workflow: a held-out and a suppressed decision reach
 * the recent-decisions sink with their reasons, and a segment change the segment-history sink, each
 * as the list push its mapper makes of it. (The cap on the Redis list is checked against a real
 * Redis in {@code RedisListPushITCase}.)
 */
class CustomerHistoryWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final RedisKeys KEYS = new RedisKeys("p13n");

    @Test
    void shouldListHeldOutAndSuppressedDecisionsAndSegmentChangesWithTheirReasons()
            throws Exception {
        // Everyone in the control group: dana's first milestone (1100 points) is HELD_OUT, and her
        // second (2100), a day later, hits the frequency cap the held-out one consumed (caps apply
        // to both arms).
        CollectedOutputs defaults = new CollectedOutputs();
        WorkflowSettings d = CollectedOutputs.defaultSettings();
        WorkflowSettings settings =
                new WorkflowSettings(
                        d.outOfOrderness(),
                        d.idleTimeout(),
                        d.dedupWindowSize(),
                        d.dedupTtl(),
                        d.customerTtl(),
                        d.stateCaches(),
                        d.profile(),
                        d.recommend(),
                        TestOffers.settings(Map.of(EngineOptions.OFFERS_CONTROL_SHARE.key(), "1")),
                        d.erasure(),
                        d.catalog());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // One source subtask keeps dana's orders in order (the first profile is the baseline).
        env.setParallelism(1);
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.nothing(),
                SourceRecords.boundedSource(
                        List.of(
                                // the first profile the trigger stage sees is its baseline
                                SourceRecords.of(TestEvents.placed("dana", T0, 500)),
                                SourceRecords.of(
                                        TestEvents.placed(
                                                "dana", T0.plus(Duration.ofDays(1)), 600)),
                                SourceRecords.of(
                                        TestEvents.placed(
                                                "dana", T0.plus(Duration.ofDays(2)), 1000)))),
                CampaignSources.of(
                        List.of(
                                TestOffers.campaign("points", TriggerType.POINTS_MILESTONE)
                                        .build())),
                settings,
                defaults.sinks());
        env.execute("customer-history-workflow-test");

        // In decision order: they reach the sink by different paths (the held-out one through
        // the budget stage), so the list holds them in arrival order and readers sort by time.
        List<RecentDecision> decisions =
                defaults.recentDecisions.collected().stream()
                        .sorted(Comparator.comparingLong(RecentDecision::getIssuedAt))
                        .toList();
        assertThat(decisions)
                .extracting(RecentDecision::getOutcome)
                .containsExactly(OfferOutcome.HELD_OUT, OfferOutcome.SUPPRESSED);
        assertThat(decisions)
                .allSatisfy(
                        r -> {
                            assertThat(r.getCustomerId()).isEqualTo("dana");
                            assertThat(r.getCampaignId()).isEqualTo("points");
                            assertThat(r.getTrigger()).isEqualTo(TriggerType.POINTS_MILESTONE);
                            assertThat(r.getCouponCode()).as("nothing issued").isEmpty();
                        });
        assertThat(decisions.get(0).getReason()).isEqualTo("passed 1000 points");
        assertThat(decisions.get(1).getReason())
                .startsWith("frequency cap: ")
                .endsWith("; passed 2000 points");

        RecentDecisionsRedisMapper decisionMapper =
                new RecentDecisionsRedisMapper(KEYS, Duration.ofDays(30));
        assertThat(decisionMapper.toWrite(decisions.get(1)))
                .isInstanceOfSatisfying(
                        RedisListPush.class,
                        push -> {
                            assertThat(push.key()).isEqualTo("p13n:{c:dana}:decisions");
                            assertThat(push.maxLength())
                                    .isEqualTo(RecentDecisionsRedisMapper.MAX_ENTRIES);
                            assertThat(push.ttlMillis()).isEqualTo(Duration.ofDays(30).toMillis());
                            assertThat(push.value())
                                    .contains("\"outcome\":\"SUPPRESSED\"", "frequency cap: ");
                        });
        assertThat(decisionMapper.keyOf(decisions.get(0)))
                .as("two decisions of one customer in one batch are not coalesced")
                .isNotEqualTo(decisionMapper.keyOf(decisions.get(1)));

        List<SegmentChange> changes = defaults.segmentHistory.collected();
        assertThat(changes)
                .as("the same stream as the segment-changes topic")
                .containsExactlyInAnyOrderElementsOf(defaults.segmentChanges.collected());
        assertThat(changes).isNotEmpty();
        SegmentChange first = changes.get(0);
        assertThat(first.getCustomerId()).isEqualTo("dana");
        assertThat(first.getReasons()).isNotEmpty();
        assertThat(new SegmentHistoryRedisMapper(KEYS, Duration.ofDays(30)).toWrite(first))
                .isInstanceOfSatisfying(
                        RedisListPush.class,
                        push -> {
                            assertThat(push.key()).isEqualTo("p13n:{c:dana}:segment-history");
                            assertThat(push.value())
                                    .contains(
                                            "\"from\":\"" + first.getFrom() + "\"",
                                            "\"to\":\"" + first.getTo() + "\"",
                                            first.getReasons().get(0));
                        });
    }
}
