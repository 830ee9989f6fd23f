package io.p13n.cli.churn;

import io.p13n.cli.replay.Dataset;
import io.p13n.cli.replay.DatasetFormat;
import io.p13n.cli.replay.DatasetReader;
import io.p13n.jobs.churn.BgNbdFitter;
import io.p13n.jobs.churn.BgNbdModel;
import io.p13n.jobs.churn.BgNbdParameters;
import io.p13n.model.OrderEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code churn fit}: estimates the BG/NBD parameters from order history (data set files or the
 * engine's own order topic), writes them where the job reads them, and optionally checks the model
 * against a holdout period: expected against actual repeat purchases, in a table and a chart.
 */
@Command(
        name = "fit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fit the BG/NBD churn model to order history and write its parameters for the job.",
            "Only placed orders count; several orders on one UTC day are one purchase. Cancelled,",
            "refunded and unknown-status order events neither add nor remove purchase days.",
            "With --holdout-end, compares expected and actual repeat purchases after the calibration",
            "period and draws them week by week.",
            "",
            "Example (the CDNOW sample, as in Fader, Hardie & Lee 2005):",
            "  churn fit --orders CDNOW_sample.txt --calibration-end 1997-09-30 --holdout-end 1998-06-30"
        })
public final class ChurnFitCommand implements Callable<Integer> {
    private static final int PROBLEMS_SHOWN = 20;

    @Spec CommandSpec spec;

    @Option(
            names = "--orders",
            arity = "1..*",
            paramLabel = "FILE",
            description =
                    "Order files: CDNOW master or sample format (read with the replay's reader).")
    List<Path> orderFiles;

    @Option(
            names = "--format",
            defaultValue = "auto",
            description =
                    "Format of --orders files: auto, cdnow-master or cdnow-sample (default: ${DEFAULT-VALUE}: detected from the first line).")
    String format;

    @Option(
            names = "--orders-topic",
            paramLabel = "TOPIC",
            description =
                    "Instead of files: the engine's Avro order topic, read from the beginning to its current end.")
    String ordersTopic;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, for --orders-topic.")
    String bootstrapServers;

    @Option(
            names = "--read-timeout",
            defaultValue = "30s",
            converter = io.p13n.cli.traffic.DurationConverter.class,
            description =
                    "Give up reading the topic when no record arrives for this long (default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Option(
            names = "--calibration-end",
            paramLabel = "DATE",
            description =
                    "Last day (UTC, inclusive) of the calibration period, e.g. 1997-09-30 for CDNOW (default: the day after the last order).")
    LocalDate calibrationEnd;

    @Option(
            names = "--holdout-end",
            paramLabel = "DATE",
            description =
                    "Last day (inclusive) of a holdout period after the calibration: enables the holdout check and chart. Needs --calibration-end.")
    LocalDate holdoutEnd;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            defaultValue = ".personalize/bgnbd.properties",
            description =
                    "Where to write the parameters; the job reads them from here (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(
            names = "--chart",
            paramLabel = "FILE",
            defaultValue = ".personalize/bgnbd-holdout.png",
            description =
                    "PNG chart of cumulative repeat purchases, actual vs model, written with --holdout-end (default: ${DEFAULT-VALUE}).")
    Path chart;

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } catch (IOException e) {
            err.println("churn fit: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void validate() {
        boolean files = orderFiles != null && !orderFiles.isEmpty();
        boolean topic = ordersTopic != null;
        if (files == topic) {
            throw new ParameterException(
                    spec.commandLine(),
                    "give either --orders FILE... or --orders-topic TOPIC (with --bootstrap-servers)");
        }
        if (topic && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw new ParameterException(
                    spec.commandLine(), "--orders-topic needs --bootstrap-servers");
        }
        if (holdoutEnd != null && calibrationEnd == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--holdout-end needs --calibration-end (where the holdout starts)");
        }
        if (holdoutEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--holdout-end "
                            + holdoutEnd
                            + " must be after --calibration-end "
                            + calibrationEnd);
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--read-timeout must be positive");
        }
        resolveFormat();
    }

    private int run(PrintWriter out, PrintWriter err) throws IOException {
        PurchaseHistories histories = new PurchaseHistories();
        boolean cdnowFormat;
        String source;
        if (ordersTopic != null) {
            OrderTopicReader.Result result =
                    new OrderTopicReader(bootstrapServers, ordersTopic, readTimeout)
                            .read(histories::add, err);
            out.printf(
                    "Read %,d records from %s: %,d orders, %,d undecodable skipped%n",
                    result.records(), ordersTopic, histories.orders(), result.undecodable());
            cdnowFormat = false;
            source = "topic " + ordersTopic + " on " + bootstrapServers;
        } else {
            cdnowFormat = readFiles(histories, out, err);
            source = orderFiles.stream().map(Path::toString).collect(Collectors.joining(", "));
        }
        boolean cdnow = cdnowFormat || histories.looksLikeCdnow();
        printOrderCounts(histories, out);
        OptionalInt lastDay = histories.lastDay();
        if (lastDay.isEmpty()) {
            err.println("churn fit: no placed orders: nothing to fit");
            return 1;
        }

        LocalDate end =
                calibrationEnd != null
                        ? calibrationEnd
                        : LocalDate.ofEpochDay(lastDay.getAsInt() + 1L);
        CalibrationData data =
                CalibrationData.split(histories.distinctDays(), Math.toIntExact(end.toEpochDay()));
        out.printf(
                "Calibration to %s (inclusive): %,d customers, %,d repeat purchase days%s%n",
                end,
                data.customers().size(),
                data.calibrationRepeatPurchases(),
                data.laterCustomers() > 0
                        ? String.format(
                                "; %,d customers first bought later and are not in the fit",
                                data.laterCustomers())
                        : "");
        if (data.customers().isEmpty()) {
            err.println("churn fit: nobody bought by " + end + ": nothing to fit");
            return 1;
        }

        out.printf("Fitting BG/NBD to %,d customers...%n", data.customers().size());
        out.flush();
        List<BgNbdFitter.Observation> observations = data.observations();
        long started = System.nanoTime();
        BgNbdFitter.Fit fit;
        try {
            fit = new BgNbdFitter().fit(observations);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("churn fit: cannot fit: " + e.getMessage());
            return 1;
        }
        out.printf(
                "Done in %.1f s (%d simplex iterations in %d runs).%n",
                (System.nanoTime() - started) / 1e9, fit.iterations(), fit.restarts() + 1);
        printParameters(
                fit,
                cdnow
                        ? BgNbdFitter.logLikelihood(BgNbdParameters.PUBLISHED_CDNOW, observations)
                        : Double.NaN,
                out);

        fit.parameters()
                .save(
                        output,
                        new BgNbdParameters.Provenance(
                                fit.logLikelihood(),
                                fit.customers(),
                                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                                source + "; calibration to " + end));
        out.printf("Parameters written to %s%n", output);

        if (holdoutEnd != null) {
            BgNbdModel model = new BgNbdModel(fit.parameters());
            int holdoutEndDay = Math.toIntExact(holdoutEnd.toEpochDay());
            HoldoutCheck check = HoldoutCheck.compute(model, data, holdoutEndDay);
            out.printf(
                    "%nHoldout %s to %s (%.1f weeks), the %,d calibration customers:%n",
                    end.plusDays(1), holdoutEnd, check.weeks(), data.customers().size());
            check.print(out);
            TrackingCurve curve = TrackingCurve.compute(model, data, holdoutEndDay);
            HoldoutChart.write(
                    curve,
                    "BG/NBD tracking: cumulative repeat purchases (calibration to " + end + ")",
                    chart);
            out.printf(
                    "Cumulative repeat purchases at %s: actual %,.0f, model %,.1f%n",
                    holdoutEnd, curve.lastActual(), curve.lastModel());
            out.printf("Chart written to %s%n", chart);
        }
        return 0;
    }

    /** Reads the files into the histories; returns whether they are in a CDNOW format. */
    private boolean readFiles(PurchaseHistories histories, PrintWriter out, PrintWriter err)
            throws IOException {
        DatasetFormat chosen = resolveFormat();
        long[] problems = {0};
        DatasetReader reader =
                new DatasetReader(
                        problem -> {
                            if (++problems[0] <= PROBLEMS_SHOWN) {
                                err.println(problem);
                            }
                        });
        boolean cdnow = true;
        for (Path file : orderFiles) {
            out.printf("Reading %s...%n", file);
            out.flush();
            Dataset dataset = reader.read(file, chosen);
            long orders = 0;
            for (SpecificRecordBase event : dataset.events()) {
                if (event instanceof OrderEvent order) {
                    histories.add(order);
                    orders++;
                }
            }
            if (orders == 0) {
                throw new IOException(
                        file + ": no orders in it (format " + dataset.format().cliName() + ")");
            }
            cdnow &=
                    dataset.format() == DatasetFormat.CDNOW_MASTER
                            || dataset.format() == DatasetFormat.CDNOW_SAMPLE;
            out.printf(
                    "  %s: %,d orders, %,d malformed lines skipped%n",
                    dataset.format().cliName(), orders, dataset.skippedLines());
        }
        if (problems[0] > PROBLEMS_SHOWN) {
            err.printf("... and %,d more malformed lines%n", problems[0] - PROBLEMS_SHOWN);
        }
        err.flush();
        return cdnow;
    }

    private DatasetFormat resolveFormat() {
        if (format == null || format.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            return DatasetFormat.byName(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
    }

    private static void printOrderCounts(PurchaseHistories histories, PrintWriter out) {
        Map<?, Long> ignored = histories.ignoredByStatus();
        long ignoredTotal = ignored.values().stream().mapToLong(Long::longValue).sum();
        out.printf(
                "Orders: %,d events, %,d placed, %,d not counted%s; %,d customers%n",
                histories.orders(),
                histories.placed(),
                ignoredTotal,
                ignored.isEmpty() ? "" : " " + ignored,
                histories.customers());
    }

    private static void printParameters(
            BgNbdFitter.Fit fit, double publishedLogLikelihoodHere, PrintWriter out) {
        BgNbdParameters p = fit.parameters();
        boolean compare = !Double.isNaN(publishedLogLikelihoodHere);
        BgNbdParameters published = BgNbdParameters.PUBLISHED_CDNOW;
        out.println();
        out.printf(
                "  %-16s %12s%s%n",
                "BG/NBD (weeks)", "fitted", compare ? String.format("  %12s", "published") : "");
        row(out, "r", p.r(), compare, published.r());
        row(out, "alpha", p.alpha(), compare, published.alpha());
        row(out, "a", p.a(), compare, published.a());
        row(out, "b", p.b(), compare, published.b());
        out.printf(
                "  %-16s %12.2f%s%n",
                "log-likelihood",
                fit.logLikelihood(),
                compare ? String.format("  %12.2f", publishedLogLikelihoodHere) : "");
        if (compare) {
            out.println(
                    "  published: Fader, Hardie & Lee (2005), the 2,357-customer CDNOW sample, calibration to");
            out.printf(
                    "  1997-09-30, LL %.1f there; its log-likelihood column is on this data.%n",
                    BgNbdParameters.PUBLISHED_CDNOW_LOG_LIKELIHOOD);
        }
        out.println();
    }

    private static void row(
            PrintWriter out, String name, double fitted, boolean compare, double published) {
        out.printf(
                "  %-16s %12.4f%s%n",
                name, fitted, compare ? String.format("  %12.3f", published) : "");
    }
}
