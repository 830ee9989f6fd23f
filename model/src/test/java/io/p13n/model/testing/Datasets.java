package io.p13n.model.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public data sets of {@code ../shared/datasets}, for tests that check the engine against real
 * data. Without them such a test is reported as skipped ("not run: dataset missing"), never failed,
 * so the suite passes on a machine that lacks them.
 */
public final class Datasets {
    private Datasets() {}

    /**
     * {@code relative} under the data set root: system property {@code datasets.dir}, else {@code
     * ../../shared/datasets} from the module directory (the checkout's sibling), else {@code
     * /work/shared/datasets}. Skips the calling test when the file is missing.
     */
    public static Path require(String relative) {
        String configured = System.getProperty("datasets.dir");
        Path root;
        if (configured != null) {
            root = Path.of(configured);
        } else if (Files.isDirectory(Path.of("../../shared/datasets"))) {
            root = Path.of("../../shared/datasets");
        } else {
            root = Path.of("/work/shared/datasets");
        }
        Path file = root.resolve(relative);
        assumeTrue(
                Files.exists(file),
                "real data set test not run: dataset missing: "
                        + file.toAbsolutePath()
                        + " (set -Ddatasets.dir=...)");
        return file;
    }
}
