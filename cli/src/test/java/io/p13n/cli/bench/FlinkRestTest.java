package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parsing of Flink REST responses, shaped like Flink 2.2's (trimmed to the fields the bench reads).
 */
class FlinkRestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode job(long clicksOut, long keyedIn, long keyedBusy, String keyedStatus)
            throws Exception {
        return JSON.readTree(
                """
        {"jid":"abc","state":"RUNNING","vertices":[
          {"id":"v1","name":"Source: Clicks from Kafka","status":"RUNNING",
           "metrics":{"read-records":0,"write-records":%d,"accumulated-busy-time":100,"accumulated-backpressured-time":900,"accumulated-idle-time":0}},
          {"id":"v2","name":"Source: Orders from Kafka","status":"RUNNING",
           "metrics":{"read-records":0,"write-records":7,"accumulated-busy-time":0,"accumulated-backpressured-time":0,"accumulated-idle-time":1000}},
          {"id":"v3","name":"Drop duplicates, update customer profile -> (Profiles to Redis: Writer)","status":"%s",
           "metrics":{"read-records":%d,"write-records":3,"accumulated-busy-time":%d,"accumulated-backpressured-time":0,"accumulated-idle-time":50}}
        ]}"""
                        .formatted(clicksOut, keyedStatus, keyedIn, keyedBusy));
    }

    @Test
    void progressSumsTheSourcesAndTheKeyedVertex() throws Exception {
        FlinkRest.Progress p =
                FlinkRest.progress(
                        job(1_000, 900, 950, "RUNNING"), BenchJobs.SOURCES, BenchJobs.ENGINE_KEYED);
        assertThat(p.sourceRecordsOut()).isEqualTo(1_007);
        assertThat(p.keyedRecordsIn()).isEqualTo(900);
        assertThat(p.allRunning()).isTrue();
        assertThat(p.state()).isEqualTo("RUNNING");
    }

    @Test
    void theIdentityHandOffLoopIsNotCountedAsBacklogEvents() throws Exception {
        JsonNode job =
                JSON.readTree(
                        """
        {"jid":"abc","state":"RUNNING","vertices":[
          {"id":"v1","name":"Source: Clicks from Kafka","status":"RUNNING","metrics":{"write-records":1000}},
          {"id":"v2","name":"Source: Identity hand-offs from Kafka","status":"RUNNING","metrics":{"write-records":40}},
          {"id":"v3","name":"Drop duplicates, update customer profile","status":"RUNNING","metrics":{"read-records":1030}}
        ]}""");
        FlinkRest.Progress p = FlinkRest.progress(job, BenchJobs.SOURCES, BenchJobs.ENGINE_KEYED);
        assertThat(p.keyedRecordsIn()).as("1,030 in, 40 of them hand-offs").isEqualTo(990);
    }

    @Test
    void aVertexStillDeployingMeansNotAllRunning() throws Exception {
        assertThat(
                        FlinkRest.progress(
                                        job(0, 0, 0, "DEPLOYING"),
                                        BenchJobs.SOURCES,
                                        BenchJobs.ENGINE_KEYED)
                                .allRunning())
                .isFalse();
        assertThat(FlinkRest.progress(JSON.readTree("{\"vertices\":[]}"), "x", "y").allRunning())
                .isFalse();
        assertThatThrownBy(
                        () ->
                                FlinkRest.progress(
                                        job(1_000, 900, 950, "RUNNING"),
                                        BenchJobs.SOURCES,
                                        "Renamed stage"))
                .hasMessageContaining("Renamed stage");
    }

    @Test
    void vertexWorkIsTheDifferenceBetweenTwoSnapshots() throws Exception {
        List<FlinkRest.VertexWork> work =
                FlinkRest.work(
                        job(1_000, 900, 950, "RUNNING"), job(5_000, 4_900, 1_950, "RUNNING"));
        FlinkRest.VertexWork keyed = work.get(2);
        assertThat(keyed.recordsIn()).isEqualTo(4_000);
        assertThat(keyed.busyMs()).isEqualTo(1_000);
        assertThat(keyed.idleMs()).isZero();
        assertThat(keyed.busyShare()).isEqualTo(1.0);
        FlinkRest.VertexWork orders = work.get(1);
        assertThat(orders.busyShare()).isNaN(); // no time passed in its counters
    }

    @Test
    void completedCheckpointsInIdOrderWithSizesAndDurations() throws Exception {
        JsonNode stats =
                JSON.readTree(
                        """
        {"counts":{"completed":3},"history":[
          {"id":3,"status":"COMPLETED","is_savepoint":false,"trigger_timestamp":3000,"end_to_end_duration":120,"state_size":2048000,"checkpointed_size":4000},
          {"id":2,"status":"FAILED","is_savepoint":false,"trigger_timestamp":2000,"end_to_end_duration":0,"state_size":0,"checkpointed_size":0},
          {"id":1,"status":"COMPLETED","is_savepoint":false,"trigger_timestamp":1000,"end_to_end_duration":900,"state_size":1024000,"checkpointed_size":1024000}
        ]}""");
        List<FlinkRest.Checkpoint> done = FlinkRest.completed(stats);
        assertThat(done).extracting(FlinkRest.Checkpoint::id).containsExactly(1L, 3L);
        assertThat(done.get(1).stateSize()).isEqualTo(2_048_000);
        assertThat(done.get(1).checkpointedSize()).isEqualTo(4_000);
        assertThat(done.get(0).durationMillis()).isEqualTo(900);
    }
}
