package io.p13n.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.CampaignSources;
import io.p13n.jobs.testing.CollectedOutputs;
import io.p13n.jobs.testing.SourceRecords;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** Savepoint safety: checked on the graph the job builds, not on a list kept by hand. */
class JobGraphTest {

    private static StreamExecutionEnvironment envWithWorkflow() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.nothing(),
                SourceRecords.nothing(),
                CampaignSources.none(),
                CollectedOutputs.defaultSettings(),
                new CollectedOutputs().sinks());
        return env;
    }

    @Test
    void shouldGiveEveryOperatorAStableUidAndAReadableName() {
        StreamGraph graph = envWithWorkflow().getStreamGraph();

        for (StreamNode node : graph.getStreamNodes()) {
            // Sink V2 expands into writer/committer nodes that inherit the sink's uid with a
            // suffix.
            assertThat(node.getTransformationUID())
                    .as("uid of " + node.getOperatorName())
                    .isNotBlank();
            assertThat(node.getOperatorName())
                    .as("name of node " + node.getId())
                    .doesNotStartWith("Process")
                    .doesNotStartWith("Map");
        }
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        Uids.CUSTOMER_PROFILE,
                        Uids.CLICKS_SOURCE,
                        Uids.ORDERS_SOURCE,
                        Uids.SEGMENT_CHANGE_SINK,
                        Uids.CHURN_SIGNAL_SINK,
                        Uids.CAMPAIGN_STATS,
                        Uids.CONSENT_SUPPRESSED_STATS,
                        Uids.SEGMENT_HISTORY_SINK,
                        Uids.RECENT_DECISIONS_SINK)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldListEveryOutcomeAndEveryErasureInTheRecentDecisions() {
        StreamGraph graph = envWithWorkflow().getStreamGraph();

        assertThat(inputsOf(graph, Uids.RECENT_DECISIONS))
                .as("sent and held out, over budget (budgets), suppressed (triggers)")
                .containsExactlyInAnyOrder(
                        Uids.CAMPAIGN_BUDGETS, Uids.CAMPAIGN_BUDGETS, Uids.OFFER_TRIGGERS);
        assertThat(inputsOf(graph, Uids.RECENT_DECISIONS_SINK))
                .as("the decisions and the erasures that delete the list, keyed by customer")
                .containsExactlyInAnyOrder(
                        Uids.RECENT_DECISIONS, Uids.RECENT_DECISIONS + "-erasures");
        assertThat(inputsOf(graph, Uids.SEGMENT_HISTORY_SINK))
                .as("the customer stage's segment changes, tombstones included")
                .containsExactly(Uids.CUSTOMER_PROFILE);
    }

    @Test
    void shouldCountConsentSuppressedMomentsInTheCampaignStats() {
        StreamGraph graph = envWithWorkflow().getStreamGraph();

        assertThat(inputsOf(graph, Uids.CONSENT_SUPPRESSED_STATS))
                .as("the trigger stage's SUPPRESSED side output")
                .containsExactly(Uids.OFFER_TRIGGERS);
        assertThat(inputsOf(graph, Uids.CAMPAIGN_STATS))
                .as(
                        "the ledger's deltas, the consent-suppressed moments and the global"
                                + " control report's deltas, keyed by campaign")
                .containsExactlyInAnyOrder(
                        Uids.ACTIVE_OFFERS,
                        Uids.CONSENT_SUPPRESSED_STATS,
                        Uids.GLOBAL_CONTROL_STATS);
    }

    /** The uids of the nodes that feed the node with {@code uid}. */
    private static java.util.List<String> inputsOf(StreamGraph graph, String uid) {
        StreamNode node =
                graph.getStreamNodes().stream()
                        .filter(n -> uid.equals(n.getTransformationUID()))
                        .findFirst()
                        .orElseThrow();
        return node.getInEdges().stream()
                .map(e -> graph.getStreamNode(e.getSourceId()).getTransformationUID())
                .toList();
    }

    @Test
    void shouldForbidTheGenericKryoFallback() {
        StreamExecutionEnvironment env = envWithWorkflow();

        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
    }

    @Test
    void shouldRestartForeverWithAnExponentialBackoffFromTheEngineConfiguration() {
        var config =
                io.p13n.config.EngineConfig.fromMap(
                        java.util.Map.of(
                                "kafka.bootstrap-servers", "localhost:9092",
                                "job.restart-initial-backoff", "2s",
                                "job.restart-max-backoff", "5min"),
                        java.util.Map.of());
        var flink = PersonalizationJob.flinkConfiguration(config);

        assertThat(
                        flink.get(
                                org.apache.flink.configuration.RestartStrategyOptions
                                        .RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(
                        flink.get(
                                org.apache.flink.configuration.RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(
                        flink.get(
                                org.apache.flink.configuration.RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(
                        flink.get(
                                org.apache.flink.configuration.RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(Integer.MAX_VALUE);
    }
}
