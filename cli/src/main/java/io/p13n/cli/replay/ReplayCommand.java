package io.p13n.cli.replay;

import io.p13n.cli.traffic.EventFields;
import io.p13n.cli.traffic.EventTopicOptions;
import io.p13n.cli.traffic.StopOnShutdown;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: reads public data sets (YooChoose, Diginetica, CDNOW) with {@link DatasetReader}
 * and sends them to Kafka as click and order events in event-time order, optionally paced and moved
 * to the present, then prints what was sent.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay data set files to Kafka as click and order events, in event-time order.",
            "Malformed lines are reported and skipped. Files are merged by event time."
        })
public final class ReplayCommand implements Callable<Integer> {
    /** More than this many malformed lines means a wrong format, and the rest would only scroll. */
    private static final int PROBLEMS_SHOWN = 20;

    @Spec CommandSpec spec;

    @Mixin EventTopicOptions kafka;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Data set files to replay.")
    List<Path> files;

    @Option(
            names = "--format",
            defaultValue = "auto",
            description =
                    "auto, yoochoose, yoochoose-raw, diginetica, cdnow-master or cdnow-sample (default: ${DEFAULT-VALUE}: detected per file from its first line).")
    String format;

    @Option(
            names = "--speedup",
            defaultValue = "0",
            description =
                    "Event-time compression: gaps between events are divided by this when sending; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(
            names = "--shift-to-now",
            description = "Shift all event times so that the last event replayed happens now.")
    boolean shiftToNow;

    @Option(names = "--limit", description = "Replay only the first N events in event-time order.")
    Integer limit;

    @Override
    public Integer call() throws InterruptedException {
        DatasetFormat chosen = resolveFormat();
        if (speedup < 0 || Double.isInfinite(speedup)) {
            throw new ParameterException(
                    spec.commandLine(), "--speedup must be 0 (as fast as possible) or positive");
        }
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        ProblemPrinter problems = new ProblemPrinter(err);
        DatasetReader reader = new DatasetReader(problems);
        List<SpecificRecordBase> events = new ArrayList<>();
        long skipped = 0;
        for (Path file : files) {
            Dataset dataset;
            try {
                dataset = reader.read(file, chosen);
            } catch (IOException e) {
                err.println("Cannot read " + (e.getMessage() != null ? e.getMessage() : file));
                err.flush();
                return 1;
            }
            out.printf(
                    "%s: %s, %,d events, %,d malformed lines skipped%n",
                    file,
                    dataset.format().cliName(),
                    dataset.events().size(),
                    dataset.skippedLines());
            events.addAll(dataset.events());
            skipped += dataset.skippedLines();
        }
        problems.printHidden();
        // Each file is sorted; a stable sort merges them and keeps file order for equal times.
        events.sort(EventFields.byEventTime());
        if (limit != null && events.size() > limit) {
            events = events.subList(0, limit);
        }
        if (shiftToNow) {
            events =
                    EventTimeShift.soLastEventIsAt(
                            events, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
        if (!events.isEmpty()) {
            out.printf(
                    "Replaying %,d events from %s to %s to %s (clicks -> %s, orders -> %s)%s.%n",
                    events.size(),
                    EventFields.eventTime(events.get(0)),
                    EventFields.eventTime(events.get(events.size() - 1)),
                    kafka.bootstrapServers(),
                    kafka.clicksTopic(),
                    kafka.ordersTopic(),
                    speedup > 0
                            ? ", event time compressed " + speedup + "x"
                            : " as fast as possible");
        }
        out.flush();

        long started = System.nanoTime();
        EventReplayer replayer =
                new EventReplayer(kafka.producer("p13n-replay"), kafka.topics(), speedup);
        try (StopOnShutdown guard = new StopOnShutdown("replay", replayer::stop);
                replayer) {
            replayer.replay(events);
        }
        printSummary(out, replayer, skipped, (System.nanoTime() - started) / 1e9);
        if (replayer.firstFailure() != null) {
            err.println("First failure: " + replayer.firstFailure());
            err.flush();
        }
        return replayer.failures() == 0 ? 0 : 1;
    }

    private DatasetFormat resolveFormat() {
        if (format.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            return DatasetFormat.byName(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
    }

    private static void printSummary(
            PrintWriter out, EventReplayer replayer, long skipped, double seconds) {
        Map<String, Long> byType = replayer.sentByType();
        long sent = byType.values().stream().mapToLong(Long::longValue).sum();
        out.printf(
                "Sent %,d events in %.1f s; %,d failed; %,d malformed lines skipped.%n",
                sent, seconds, replayer.failures(), skipped);
        byType.forEach((type, count) -> out.printf("  %-18s %,d%n", type, count));
        out.flush();
    }

    /** Prints the first malformed lines as they are found, and then how many more there were. */
    private static final class ProblemPrinter implements Consumer<String> {
        private final PrintWriter err;
        private long count;

        ProblemPrinter(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void accept(String problem) {
            if (++count <= PROBLEMS_SHOWN) {
                err.println(problem);
            }
        }

        void printHidden() {
            if (count > PROBLEMS_SHOWN) {
                err.printf("... and %,d more malformed lines%n", count - PROBLEMS_SHOWN);
            }
            err.flush();
        }
    }
}
