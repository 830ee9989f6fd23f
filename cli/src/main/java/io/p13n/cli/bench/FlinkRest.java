package io.p13n.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few calls of Flink's REST API the bench needs, against the local cluster's endpoint: job
 * details (vertex status and record counts), checkpoint statistics, and triggering a checkpoint.
 * Record counts come from Flink's metric fetcher, so they are as fresh as {@code
 * metrics.fetcher.update-interval} (the bench sets 1 s).
 */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    FlinkRest(int port) {
        this.base = "http://localhost:" + port;
    }

    /**
     * Where a job's records are: read from Kafka by its sources, and arrived at the keyed vertex.
     */
    record Progress(long sourceRecordsOut, long keyedRecordsIn, boolean allRunning, String state) {}

    /**
     * A vertex's work between two job snapshots: records in and out, and how its subtasks spent the
     * time (milliseconds summed over subtasks): busy processing, back-pressured (waiting for
     * buffers downstream), idle (waiting for input).
     */
    record VertexWork(
            String name,
            long recordsIn,
            long recordsOut,
            long busyMs,
            long backPressuredMs,
            long idleMs) {
        /** Share of the subtasks' time spent busy, 0 to 1; NaN without time. */
        double busyShare() {
            long total = busyMs + backPressuredMs + idleMs;
            return total <= 0 ? Double.NaN : (double) busyMs / total;
        }

        double backPressuredShare() {
            long total = busyMs + backPressuredMs + idleMs;
            return total <= 0 ? Double.NaN : (double) backPressuredMs / total;
        }
    }

    /** A completed checkpoint, sizes in bytes. */
    record Checkpoint(
            long id,
            boolean savepoint,
            long triggerTimestamp,
            long durationMillis,
            long stateSize,
            long checkpointedSize) {}

    JsonNode job(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId);
    }

    JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /**
     * State per vertex in one checkpoint ({@code GET /jobs/:id/checkpoints/details/:cid}), largest
     * first, named from the job's vertices.
     */
    java.util.List<BenchResult.VertexState> stateByVertex(String jobId, long checkpointId)
            throws IOException, InterruptedException {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            names.put(vertex.path("id").asText(), vertex.path("name").asText());
        }
        JsonNode details = get("/jobs/" + jobId + "/checkpoints/details/" + checkpointId);
        java.util.List<BenchResult.VertexState> states = new ArrayList<>();
        details.path("tasks")
                .fields()
                .forEachRemaining(
                        task ->
                                states.add(
                                        new BenchResult.VertexState(
                                                names.getOrDefault(task.getKey(), task.getKey()),
                                                task.getValue().path("state_size").asLong(),
                                                task.getValue()
                                                        .path("checkpointed_size")
                                                        .asLong())));
        states.sort((a, b) -> Long.compare(b.stateBytes(), a.stateBytes()));
        return states;
    }

    /** Triggers a checkpoint of the configured type and waits for it; returns its id. */
    long triggerCheckpoint(String jobId, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest post =
                HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/checkpoints"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"checkpointType\":\"CONFIGURED\"}"))
                        .build();
        JsonNode trigger = send(post);
        String requestId = trigger.path("request-id").asText();
        if (requestId.isEmpty()) {
            throw new IOException("checkpoint trigger not accepted: " + trigger);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/checkpoints/" + requestId);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IOException("checkpoint failed: " + operation.path("failure-cause"));
                }
                return operation.path("checkpointId").asLong();
            }
            Thread.sleep(100);
        }
        throw new IOException("checkpoint not completed within " + timeout);
    }

    /**
     * Sums record counts from {@code GET /jobs/:id}: records written by the vertices whose name
     * contains {@code sourceMarker}, records read by the one whose name contains {@code
     * keyedMarker}.
     */
    /**
     * The source of the engine's identity hand-off loop, which feeds the customer stage records
     * that are not events of the backlog (merged profiles, events rerouted to a merged id).
     */
    static final String LOOP_SOURCE = "Identity hand-offs from Kafka";

    static Progress progress(JsonNode job, String sourceMarker, String keyedMarker) {
        long sourceOut = 0;
        long keyedIn = 0;
        boolean allRunning = job.path("vertices").size() > 0;
        boolean keyedFound = false;
        for (JsonNode vertex : job.path("vertices")) {
            String name = vertex.path("name").asText();
            JsonNode metrics = vertex.path("metrics");
            if (name.contains(sourceMarker)) {
                sourceOut += metrics.path("write-records").asLong();
            }
            if (name.contains(keyedMarker)) {
                keyedIn += metrics.path("read-records").asLong();
                keyedFound = true;
            }
            if (name.contains(LOOP_SOURCE)) {
                // the identity hand-offs come round into the customer stage: not backlog events
                keyedIn -= metrics.path("write-records").asLong();
            }
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                allRunning = false;
            }
        }
        if (allRunning && !keyedFound) {
            // A renamed operator would otherwise leave the bench "starting" until its phase
            // timeout.
            throw new IllegalStateException(
                    "no vertex of the running job is named like '"
                            + keyedMarker
                            + "': the bench counts arrivals there");
        }
        return new Progress(sourceOut, keyedIn, allRunning, job.path("state").asText());
    }

    /** Per vertex (matched by id), what {@code later} shows beyond {@code earlier}. */
    static List<VertexWork> work(JsonNode earlier, JsonNode later) {
        java.util.Map<String, JsonNode> before = new java.util.HashMap<>();
        for (JsonNode vertex : earlier.path("vertices")) {
            before.put(vertex.path("id").asText(), vertex.path("metrics"));
        }
        List<VertexWork> work = new ArrayList<>();
        for (JsonNode vertex : later.path("vertices")) {
            JsonNode now = vertex.path("metrics");
            JsonNode then =
                    before.getOrDefault(vertex.path("id").asText(), JSON.createObjectNode());
            work.add(
                    new VertexWork(
                            vertex.path("name").asText(),
                            delta(now, then, "read-records"),
                            delta(now, then, "write-records"),
                            delta(now, then, "accumulated-busy-time"),
                            delta(now, then, "accumulated-backpressured-time"),
                            delta(now, then, "accumulated-idle-time")));
        }
        return work;
    }

    private static long delta(JsonNode now, JsonNode then, String field) {
        return Math.max(0, now.path(field).asLong() - then.path(field).asLong());
    }

    /** The completed checkpoints (and savepoints) in the statistics' history, oldest first. */
    static List<Checkpoint> completed(JsonNode checkpoints) {
        List<Checkpoint> done = new ArrayList<>();
        for (JsonNode c : checkpoints.path("history")) {
            if ("COMPLETED".equals(c.path("status").asText())) {
                done.add(
                        new Checkpoint(
                                c.path("id").asLong(),
                                c.path("is_savepoint").asBoolean(),
                                c.path("trigger_timestamp").asLong(),
                                c.path("end_to_end_duration").asLong(),
                                c.path("state_size").asLong(),
                                c.path("checkpointed_size").asLong()));
            }
        }
        done.sort((a, b) -> Long.compare(a.id(), b.id()));
        return done;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    request.method()
                            + " "
                            + request.uri()
                            + ": HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return JSON.readTree(response.body());
    }
}
