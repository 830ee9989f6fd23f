package io.p13n.cli.bench;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.model.CustomerEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.SourceRecord;
import io.p13n.serde.SourceRecordDeserializer.EventKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/** The jobs the bench runs, each on its own local Flink cluster with a REST endpoint. */
final class BenchJobs {
    /**
     * Name of the pass-through job's keyed vertex: its sink, which counts arrivals ({@link
     * CountingDiscardSink}).
     */
    static final String DISCARD = "Discard events";

    /** Name of the engine's first keyed operator: its vertex is where the bench counts arrivals. */
    static final String ENGINE_KEYED = PersonalizationJob.CUSTOMER_STAGE_NAME;

    /** Both jobs' Kafka sources are named "... from Kafka". */
    static final String SOURCES = "from Kafka";

    /** The pass-through's sources, named as the engine's. */
    private static final List<Map.Entry<EventKind, String>> PASS_THROUGH_SOURCES =
            List.of(
                    Map.entry(EventKind.CLICKS, "Clicks from Kafka"),
                    Map.entry(EventKind.ORDERS, "Orders from Kafka"),
                    Map.entry(EventKind.IDENTITIES, "Identifications from Kafka"),
                    Map.entry(EventKind.REVIEWS, "Reviews from Kafka"),
                    Map.entry(EventKind.CUSTOMER_ATTRIBUTES, "Customer attributes from Kafka"));

    private BenchJobs() {}

    /**
     * The engine's own Flink settings ({@link PersonalizationJob#flinkConfiguration}: state
     * backend, checkpointing, parallelism), plus the local cluster's REST port, fresh record
     * counts, a long enough checkpoint history, and optionally a savepoint to start from.
     */
    static Configuration flinkConfiguration(
            EngineConfig config,
            int restPort,
            String savepoint,
            java.util.Map<String, String> flinkOptions) {
        Configuration conf = PersonalizationJob.flinkConfiguration(config);
        // Experiments (e.g. execution.buffer-timeout.interval, pipeline.object-reuse) go in first,
        // so
        // that the bench's own settings below cannot be overridden by accident.
        flinkOptions.forEach(conf::setString);
        conf.set(RestOptions.PORT, restPort);
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        // Once a second: fetching every vertex's metrics every 250 ms, with the bench's job polls,
        // took 8 % of the machine's CPU (REST and metric threads in a native profile), time the
        // engine then lacked. The drain's end is seen up to a second late: under 2 % of a minute's
        // drain; the pass-through uses its exact counter instead.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 1000);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        return conf;
    }

    /** The real job: {@link PersonalizationJob#defineWorkflow} with its Kafka and Redis ends. */
    static void defineEngine(StreamExecutionEnvironment env, EngineConfig config) {
        PersonalizationJob.defineWorkflow(env, config);
    }

    /**
     * The floor under the engine: the same Kafka sources and Avro decoding, each event keyed by
     * customer (a network shuffle, like the engine's), then discarded. No state, no Redis.
     */
    static void definePassThrough(StreamExecutionEnvironment env, EngineConfig config) {
        // Every topic the customer stage reads, so the floor drains the same customer events as
        // the engine. Catalog changes are left out (the engine's catalog stage, not its customer
        // stage, takes them: 0.2 % of the realistic backlog).
        DataStream<SourceRecord> events = null;
        for (Map.Entry<EventKind, String> source : PASS_THROUGH_SOURCES) {
            DataStream<SourceRecord> topic =
                    env.fromSource(
                            PersonalizationJob.kafkaSource(config, source.getKey()),
                            WatermarkStrategy.noWatermarks(),
                            source.getValue());
            events = events == null ? topic : events.union(topic);
        }
        events.flatMap(new ToCustomerEvent())
                .returns(new AvroTypeInfo<>(CustomerEvent.class))
                .name("To customer events")
                .keyBy(CustomerEvents::customerId, Types.STRING)
                .sinkTo(new CountingDiscardSink<>())
                .name(DISCARD);
    }

    /** Job name shown on the dashboard. */
    static String jobName(EngineConfig config, Phase phase) {
        return config.get(EngineOptions.JOB_NAME) + " (bench " + phase.label() + ")";
    }

    /** Decoded events on, dead letters (none in the bench's workload) dropped. */
    static final class ToCustomerEvent implements FlatMapFunction<SourceRecord, CustomerEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SourceRecord record, Collector<CustomerEvent> out) {
            Object payload = record.getPayload();
            if (!(payload instanceof DeadLetter)) {
                out.collect(new CustomerEvent(payload));
            }
        }
    }
}
