package io.p13n.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.traffic.EventFields;
import io.p13n.model.ClickEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.testing.Datasets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * The reader on the real data sets, against the counts their README gives. Skipped, with a message,
 * where the data sets are not available: set {@code -Ddatasets.dir=...} to point at them.
 */
class RealDatasetsTest {
    private final List<String> problems = new ArrayList<>();
    private final DatasetReader reader = new DatasetReader(problems::add);

    @Test
    void cdnowSampleHas6919OrdersOf2357Customers() throws IOException {
        Dataset dataset = reader.read(dataset("cdnow/CDNOW_sample.txt"));

        assertThat(dataset.format()).isEqualTo(DatasetFormat.CDNOW_SAMPLE);
        assertThat(dataset.events()).hasSize(6_919);
        assertThat(distinct(dataset, e -> ((OrderEvent) e).getCustomerId())).isEqualTo(2_357);
        assertThat(distinct(dataset, e -> ((OrderEvent) e).getOrderId())).isEqualTo(6_919);
        assertCleanAndSorted(dataset);
        assertThat(EventFields.eventTime(dataset.events().get(0)))
                .isEqualTo("1997-01-01T00:00:00Z");
        assertThat(EventFields.eventTime(dataset.events().get(6_918)))
                .isEqualTo("1998-06-30T00:00:00Z");
    }

    @Test
    void cdnowMasterHas69659OrdersOf23570Customers() throws IOException {
        Dataset dataset = reader.read(dataset("cdnow/CDNOW_master.txt"));

        assertThat(dataset.format()).isEqualTo(DatasetFormat.CDNOW_MASTER);
        assertThat(dataset.events()).hasSize(69_659);
        assertThat(distinct(dataset, e -> ((OrderEvent) e).getCustomerId())).isEqualTo(23_570);
        assertCleanAndSorted(dataset);
    }

    @Test
    void yoochooseTrainingSetHas70278ClicksIn17794Sessions() throws IOException {
        Dataset dataset = reader.read(dataset("rsc15-100k/yoochoose-clicks-100k_train_full.txt"));

        assertThat(dataset.format()).isEqualTo(DatasetFormat.YOOCHOOSE);
        assertThat(dataset.events()).hasSize(70_278);
        assertThat(distinct(dataset, e -> ((ClickEvent) e).getSessionId())).isEqualTo(17_794);
        assertThat(distinct(dataset, e -> ((ClickEvent) e).getEventId())).isEqualTo(70_278);
        assertCleanAndSorted(dataset);
    }

    @Test
    void yoochooseTestSetHas13568ClicksIn3416Sessions() throws IOException {
        Dataset dataset = reader.read(dataset("rsc15-100k/yoochoose-clicks-100k_test.txt"));

        assertThat(dataset.events()).hasSize(13_568);
        assertThat(distinct(dataset, e -> ((ClickEvent) e).getSessionId())).isEqualTo(3_416);
        assertCleanAndSorted(dataset);
    }

    @Test
    void digineticaSampleHas12391Views() throws IOException {
        Dataset dataset = reader.read(dataset("diginetica-sample/sample_train-item-views.csv"));

        assertThat(dataset.format()).isEqualTo(DatasetFormat.DIGINETICA);
        assertThat(dataset.events()).hasSize(12_391);
        assertCleanAndSorted(dataset);
    }

    private void assertCleanAndSorted(Dataset dataset) {
        assertThat(dataset.skippedLines()).isZero();
        assertThat(problems).isEmpty();
        assertThat(dataset.events()).isSortedAccordingTo(EventFields.byEventTime());
    }

    private static long distinct(Dataset dataset, Function<SpecificRecordBase, String> key) {
        return dataset.events().stream().map(key).collect(Collectors.toSet()).size();
    }

    private static Path dataset(String relative) {
        return Datasets.require(relative);
    }
}
