package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.replay.Dataset;
import io.p13n.cli.replay.DatasetFormat;
import io.p13n.cli.replay.DatasetReader;
import io.p13n.cli.testing.TestJobs;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.churn.PurchaseRhythm;
import io.p13n.jobs.profile.LifecycleRules;
import io.p13n.jobs.testing.CampaignSources;
import io.p13n.jobs.testing.CollectedOutputs;
import io.p13n.jobs.testing.SourceRecords;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OrderEvent;
import io.p13n.model.SourceRecord;
import io.p13n.model.testing.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CDNOW sample replayed as order events through the real workflow: the (frequency, recency, T)
 * the engine keeps per customer must equal the summary Fader, Hardie and Lee's BG/NBD paper was
 * fitted on ({@code cdnow_customers_summary.csv}, calibration ending 1997-09-30).
 */
class CdnowReplayWorkflowTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Instant CALIBRATION_END = Instant.parse("1997-10-01T00:00:00Z");

    @Test
    void shouldBuildTheSameFrequencyRecencyAndAgeAsThePublishedSummary() throws Exception {
        Path sample = Datasets.require("cdnow/CDNOW_sample.txt");
        Path summary = Datasets.require("cdnow/cdnow_customers_summary.csv");
        Dataset dataset = new DatasetReader(problem -> {}).read(sample, DatasetFormat.CDNOW_SAMPLE);
        List<SourceRecord> orders = new ArrayList<>();
        for (Object event : dataset.events()) {
            OrderEvent order = (OrderEvent) event;
            if (order.getEventTime().isBefore(CALIBRATION_END)) {
                orders.add(SourceRecords.of(order));
            }
        }

        CollectedOutputs outputs = new CollectedOutputs();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // One source reader keeps the file's time order per customer, as a Kafka partition keyed by
        // customer would; two readers would each take half the file and interleave the halves.
        env.setParallelism(1);
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.nothing(),
                SourceRecords.boundedSource(orders),
                CampaignSources.none(),
                CollectedOutputs.defaultSettings(),
                outputs.sinks());
        env.execute("cdnow-replay");

        Map<String, CustomerProfile> latest = new HashMap<>();
        for (CustomerProfile profile : outputs.profiles.collected()) {
            latest.put(profile.getCustomerId(), profile);
        }
        Map<String, String> masterIdBySampleId = masterIdBySampleId(sample);
        List<String> rows = Files.readAllLines(summary);
        assertThat(rows).hasSize(2357 + 1);
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            String customer = "cdnow-" + masterIdBySampleId.get(f[0]);
            CustomerProfile profile = latest.get(customer);
            assertThat(profile)
                    .as("profile of sample customer %s (%s)", f[0], customer)
                    .isNotNull();
            PurchaseRhythm rhythm = LifecycleRules.rhythmOf(profile);
            assertThat(rhythm.frequency())
                    .as("frequency of %s", f[0])
                    .isEqualTo(Integer.parseInt(f[1]));
            assertThat(rhythm.recencyWeeks())
                    .as("recency of %s", f[0])
                    .isCloseTo(
                            Double.parseDouble(f[2]), org.assertj.core.data.Offset.offset(0.005));
            // T as of the end of calibration (1997-09-30, the last calibration day).
            double ageWeeks = rhythm.ageWeeks(CALIBRATION_END.minusSeconds(86_400).toEpochMilli());
            assertThat(ageWeeks)
                    .as("T of %s", f[0])
                    .isCloseTo(
                            Double.parseDouble(f[3]), org.assertj.core.data.Offset.offset(0.005));
            checked++;
        }
        assertThat(checked).isEqualTo(2357);
        assertThat(latest).hasSize(2357);
    }

    /** Column 2 of the sample file is the id the summary uses; column 1 is the master-file id. */
    private static Map<String, String> masterIdBySampleId(Path sample) throws Exception {
        Map<String, String> ids = new HashMap<>();
        for (String line : Files.readAllLines(sample)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2) {
                ids.put(Integer.toString(Integer.parseInt(f[1])), f[0]);
            }
        }
        return ids;
    }
}
