package io.p13n.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BgNbdParametersTest {
    @TempDir Path dir;

    @Test
    void publishedCdnowValues() {
        assertThat(BgNbdParameters.PUBLISHED_CDNOW)
                .isEqualTo(new BgNbdParameters(0.243, 4.414, 0.793, 2.426));
        assertThat(BgNbdParameters.PUBLISHED_CDNOW_LOG_LIKELIHOOD).isEqualTo(-9582.4);
    }

    @Test
    void allFourMustBeFiniteAndPositive() {
        assertThatThrownBy(() -> new BgNbdParameters(0, 1, 1, 1)).hasMessageContaining("r");
        assertThatThrownBy(() -> new BgNbdParameters(1, -1, 1, 1)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new BgNbdParameters(1, 1, Double.NaN, 1))
                .hasMessageContaining("a must");
        assertThatThrownBy(() -> new BgNbdParameters(1, 1, 1, Double.POSITIVE_INFINITY))
                .hasMessageContaining("b must");
    }

    @Test
    void savesAndLoadsExactlyWithProvenance() throws IOException {
        BgNbdParameters parameters = new BgNbdParameters(0.24259, 4.41359, 0.79292, 2.42589);
        Path file = dir.resolve("nested/dir/bgnbd.properties");

        parameters.save(
                file,
                new BgNbdParameters.Provenance(
                        -9582.43,
                        2357,
                        Instant.parse("2025-01-02T03:04:05Z"),
                        "C:\\data\\CDNOW_sample.txt\nline two"));

        assertThat(BgNbdParameters.load(file)).isEqualTo(parameters);
        Properties raw = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            raw.load(reader);
        }
        assertThat(raw.getProperty("time-unit")).isEqualTo("weeks");
        assertThat(raw.getProperty("log-likelihood")).isEqualTo("-9582.43");
        assertThat(raw.getProperty("customers")).isEqualTo("2357");
        assertThat(raw.getProperty("fitted-at")).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(raw.getProperty("source")).isEqualTo("C:\\data\\CDNOW_sample.txt\nline two");
    }

    @Test
    void savesWithoutProvenance() throws IOException {
        Path file = dir.resolve("p.properties");
        BgNbdParameters.PUBLISHED_CDNOW.save(file);
        assertThat(BgNbdParameters.load(file)).isEqualTo(BgNbdParameters.PUBLISHED_CDNOW);
    }

    @Test
    void loadsAHandWrittenFile() throws IOException {
        Path file = write("r = 0.5\nalpha: 3\n# comment\na=1\nb=2.5\nsomething-else=ignored\n");
        assertThat(BgNbdParameters.load(file)).isEqualTo(new BgNbdParameters(0.5, 3, 1, 2.5));
    }

    @Test
    void badFilesNameTheFileAndTheKey() throws IOException {
        Path missingKey = write("r=1\nalpha=2\na=3\n");
        assertThatThrownBy(() -> BgNbdParameters.load(missingKey))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missingKey.toString())
                .hasMessageContaining("'b' is missing");

        Path notANumber = write("r=1\nalpha=two\na=3\nb=4\n");
        assertThatThrownBy(() -> BgNbdParameters.load(notANumber))
                .hasMessageContaining(notANumber.toString())
                .hasMessageContaining("'alpha'")
                .hasMessageContaining("'two'");

        Path negative = write("r=1\nalpha=2\na=-3\nb=4\n");
        assertThatThrownBy(() -> BgNbdParameters.load(negative))
                .hasMessageContaining("'a'")
                .hasMessageContaining("> 0");

        Path days = write("r=1\nalpha=2\na=3\nb=4\ntime-unit=days\n");
        assertThatThrownBy(() -> BgNbdParameters.load(days))
                .hasMessageContaining("'time-unit'")
                .hasMessageContaining("days");

        Path infinite = write("r=Infinity\nalpha=2\na=3\nb=4\n");
        assertThatThrownBy(() -> BgNbdParameters.load(infinite)).hasMessageContaining("'r'");

        assertThatThrownBy(() -> BgNbdParameters.load(dir.resolve("absent.properties")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void isJavaSerializable() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new BgNbdModel(BgNbdParameters.PUBLISHED_CDNOW));
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            BgNbdModel model = (BgNbdModel) in.readObject();
            assertThat(model.parameters()).isEqualTo(BgNbdParameters.PUBLISHED_CDNOW);
            assertThat(model.probabilityAlive(2, 30.43, 38.86))
                    .isEqualTo(
                            new BgNbdModel(BgNbdParameters.PUBLISHED_CDNOW)
                                    .probabilityAlive(2, 30.43, 38.86));
        }
    }

    private int files;

    private Path write(String content) throws IOException {
        Path file = dir.resolve("params-" + (files++) + ".properties");
        Files.writeString(file, content);
        return file;
    }
}
