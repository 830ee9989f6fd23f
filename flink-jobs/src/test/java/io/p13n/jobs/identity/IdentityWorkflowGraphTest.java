package io.p13n.jobs.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.config.EngineConfig;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.Uids;
import io.p13n.jobs.testing.CampaignSources;
import io.p13n.jobs.testing.CollectedOutputs;
import io.p13n.jobs.testing.SourceRecords;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The graph with the identity merge: stable uids and names for its new operators, no Kryo, and the
 * hand-off loop closed round the customer stage (its sink fed by that stage, its source feeding
 * it). Built with the production Kafka ends, which connect to nothing until the job runs.
 */
class IdentityWorkflowGraphTest {
    private static StreamGraph graph() {
        EngineConfig config =
                EngineConfig.fromMap(Map.of("kafka.bootstrap-servers", "localhost:9092"), Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.nothing(),
                SourceRecords.nothing(),
                null,
                null,
                null,
                CampaignSources.none(),
                CollectedOutputs.defaultSettings(),
                new CollectedOutputs().sinks(),
                new IdentityEnds(
                        SourceRecords.nothing(),
                        PersonalizationJob.handOffSource(config),
                        PersonalizationJob.handOffSink(config),
                        IdentitySettings.from(config)));
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        return env.getStreamGraph();
    }

    @Test
    void shouldGiveTheIdentityOperatorsStableUidsAndReadableNames() {
        StreamGraph graph = graph();

        for (StreamNode node : graph.getStreamNodes()) {
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
                        Uids.IDENTITIES_SOURCE,
                        Uids.CHECK_IDENTIFICATIONS,
                        Uids.IDENTITY_HAND_OFF_SOURCE)
                .anyMatch(uid -> uid.startsWith(Uids.IDENTITY_HAND_OFF_SINK))
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldCloseTheHandOffLoopRoundTheCustomerStage() {
        StreamGraph graph = graph();

        assertThat(inputsOf(graph, Uids.CUSTOMER_PROFILE))
                .as("events from the entrance, and the hand-offs coming back")
                .containsExactlyInAnyOrder(Uids.ROUTE_DEAD_LETTERS, Uids.IDENTITY_HAND_OFF_SOURCE);
        assertThat(
                        graph.getStreamNodes().stream()
                                .filter(
                                        n ->
                                                n.getTransformationUID()
                                                        .startsWith(Uids.IDENTITY_HAND_OFF_SINK))
                                .flatMap(n -> n.getInEdges().stream())
                                .map(
                                        e ->
                                                graph.getStreamNode(e.getSourceId())
                                                        .getTransformationUID())
                                .toList())
                .as("the hand-offs leave the customer stage")
                .contains(Uids.CUSTOMER_PROFILE);
    }

    private static List<String> inputsOf(StreamGraph graph, String uid) {
        StreamNode node =
                graph.getStreamNodes().stream()
                        .filter(n -> uid.equals(n.getTransformationUID()))
                        .findFirst()
                        .orElseThrow();
        return node.getInEdges().stream()
                .map(e -> graph.getStreamNode(e.getSourceId()).getTransformationUID())
                .toList();
    }
}
