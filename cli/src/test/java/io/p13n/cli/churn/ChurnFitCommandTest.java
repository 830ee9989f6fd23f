package io.p13n.cli.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.jobs.churn.BgNbdParameters;
import io.p13n.model.testing.Datasets;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code churn fit} on files: the CDNOW sample end to end, and its usage errors. */
class ChurnFitCommandTest {
    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ChurnCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    static Path cdnowSample() {
        return Datasets.require("cdnow/CDNOW_sample.txt");
    }

    @Test
    void helpWorks() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: churn", "fit");
        assertThat(run("fit", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "Usage: churn fit",
                        "--orders",
                        "--orders-topic",
                        "--calibration-end",
                        "--holdout-end",
                        "--output",
                        "--chart");
    }

    @Test
    void fitsTheCdnowSampleToThePublishedParametersAndChecksTheHoldout() throws IOException {
        Path sample = cdnowSample();
        Path params = dir.resolve("conf/bgnbd.properties");
        Path chart = dir.resolve("charts/holdout.png");

        int exitCode =
                run(
                        "fit",
                        "--orders",
                        sample.toString(),
                        "--calibration-end",
                        "1997-09-30",
                        "--holdout-end",
                        "1998-06-30",
                        "--output",
                        params.toString(),
                        "--chart",
                        chart.toString());

        String printed = out.toString();
        assertThat(exitCode).as(printed + err).isZero();
        assertThat(printed).contains("2,357 customers", "2,457 repeat purchase days", "published");

        // the printed parameters, fitted column
        assertThat(printedParameter(printed, "r")).isCloseTo(0.243, within(0.01));
        assertThat(printedParameter(printed, "alpha")).isCloseTo(4.414, within(0.05));
        assertThat(printedParameter(printed, "a")).isCloseTo(0.793, within(0.01));
        assertThat(printedParameter(printed, "b")).isCloseTo(2.426, within(0.01));
        assertThat(printedParameter(printed, "log-likelihood")).isCloseTo(-9582.4, within(0.5));

        BgNbdParameters loaded = BgNbdParameters.load(params);
        assertThat(loaded.r()).isCloseTo(0.243, within(0.01));
        assertThat(loaded.alpha()).isCloseTo(4.414, within(0.05));
        assertThat(loaded.a()).isCloseTo(0.793, within(0.01));
        assertThat(loaded.b()).isCloseTo(2.426, within(0.01));
        assertThat(Files.readString(params))
                .contains("customers=2357", "source=" + sample, "calibration to 1997-09-30");

        assertThat(Files.size(chart)).isGreaterThan(10_000);
        BufferedImage image = ImageIO.read(chart.toFile());
        assertThat(image.getWidth()).isEqualTo(HoldoutChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(HoldoutChart.HEIGHT);

        // holdout: the actual count derived here from the raw file, independently of the command
        long actual = holdoutPurchaseDays(sample);
        assertThat(actual).isEqualTo(1_882);
        Matcher totals =
                Pattern.compile("repeat purchases: actual ([\\d,]+), expected ([\\d,.]+)")
                        .matcher(printed);
        assertThat(totals.find()).as(printed).isTrue();
        assertThat(number(totals.group(1))).isEqualTo(actual);
        // Measured: expected 1,653 = actual - 12%: the BG/NBD under-forecasts the CDNOW holdout
        // (the
        // unconditional tracking curve too, see the chart). 15% is the bound that honestly holds.
        assertThat(number(totals.group(2))).isCloseTo(actual, within(0.15 * actual));

        // by calibration frequency: the group sizes of the published summary, and expected means
        // that rise with x
        assertThat(printed)
                .containsPattern("\\n  0\\s+1,411\\s")
                .containsPattern("\\n  1\\s+439\\s")
                .containsPattern("\\n  2\\s+214\\s")
                .containsPattern("\\n  7\\+\\s+64\\s");
    }

    private static double printedParameter(String printed, String name) {
        Matcher m =
                Pattern.compile("\\n  " + Pattern.quote(name) + "\\s+(-?[\\d.]+)").matcher(printed);
        assertThat(m.find()).as("parameter %s in%n%s", name, printed).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static double number(String printed) {
        return Double.parseDouble(printed.replace(",", ""));
    }

    /** Distinct (customer, day) in 1997-10-01..1998-06-30 in the sample file. */
    private static long holdoutPurchaseDays(Path sample) throws IOException {
        LocalDate from = LocalDate.of(1997, 10, 1);
        LocalDate to = LocalDate.of(1998, 6, 30);
        Set<String> days = new HashSet<>();
        for (String line : Files.readAllLines(sample)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            LocalDate day = LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE);
            if (!day.isBefore(from) && !day.isAfter(to)) {
                days.add(f[1] + "/" + f[2]);
            }
        }
        return days.size();
    }

    @Test
    void withoutAHoldoutWritesNoChartAndDefaultsTheCalibrationEndToTheDayAfterTheLastOrder()
            throws IOException {
        Path orders = dir.resolve("orders.txt");
        Files.write(
                orders,
                List.of(
                        " 00001 0001 19970101  1   10.00",
                        " 00001 0001 19970115  1   10.00",
                        " 00001 0001 19970115  2   20.00",
                        " 00002 0002 19970102  1   10.00",
                        " 00003 0003 19970103  1   10.00",
                        " 00003 0003 19970301  1   10.00",
                        " 00003 0003 19970401  1   10.00",
                        " 00004 0004 19970110  1   10.00"));
        Path params = dir.resolve("p.properties");
        Path chart = dir.resolve("chart.png");

        int exitCode =
                run(
                        "fit",
                        "--orders",
                        orders.toString(),
                        "--output",
                        params.toString(),
                        "--chart",
                        chart.toString());

        assertThat(exitCode).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains(
                        "Calibration to 1997-04-02",
                        "4 customers",
                        "3 repeat purchase days",
                        "published");
        assertThat(BgNbdParameters.load(params)).isNotNull();
        assertThat(chart).doesNotExist();
    }

    @Test
    void usageErrors() throws IOException {
        assertThat(run("fit")).isEqualTo(2);
        assertThat(err.toString()).contains("either --orders");

        assertThat(
                        run(
                                "fit",
                                "--orders",
                                "x.txt",
                                "--orders-topic",
                                "orders",
                                "--bootstrap-servers",
                                "h:1"))
                .isEqualTo(2);
        assertThat(run("fit", "--orders-topic", "orders")).isEqualTo(2);
        assertThat(err.toString()).contains("needs --bootstrap-servers");
        assertThat(run("fit", "--orders", "x.txt", "--holdout-end", "1998-06-30")).isEqualTo(2);
        assertThat(err.toString()).contains("--holdout-end needs --calibration-end");
        assertThat(
                        run(
                                "fit",
                                "--orders",
                                "x.txt",
                                "--calibration-end",
                                "1998-06-30",
                                "--holdout-end",
                                "1998-06-30"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("must be after");
        assertThat(run("fit", "--orders", "x.txt", "--format", "csv")).isEqualTo(2);
        assertThat(err.toString()).contains("--format");
        assertThat(run("fit", "--orders", "x.txt", "--calibration-end", "30/09/1997")).isEqualTo(2);

        assertThat(run("fit", "--orders", dir.resolve("absent.txt").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("absent.txt");

        Path clicks = dir.resolve("clicks.txt");
        Files.write(clicks, List.of("SessionId\tItemId\tTime", "1\t2\t1396400000"));
        assertThat(run("fit", "--orders", clicks.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no orders");

        Path nobodyRepeats = dir.resolve("once.txt");
        Files.write(
                nobodyRepeats,
                List.of(" 00001 0001 19970101  1   10.00", " 00002 0002 19970102  1   10.00"));
        assertThat(
                        run(
                                "fit",
                                "--orders",
                                nobodyRepeats.toString(),
                                "--output",
                                dir.resolve("never.properties").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("repeat purchase");
        assertThat(dir.resolve("never.properties")).doesNotExist();
    }
}
