package io.p13n.cli.traffic;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: sends synthetic storefront traffic from a {@link StorefrontSimulator} to Kafka
 * until Ctrl-C, a duration or an event count, printing progress every few seconds.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Send synthetic storefront traffic (clicks and orders of simulated customers) to Kafka.",
            "Runs until Ctrl-C, --duration or --max-events; prints progress every 5 seconds."
        })
public final class GenerateCommand implements Callable<Integer> {
    private static final long PROGRESS_SECONDS = 5;

    @Spec CommandSpec spec;

    @Mixin EventTopicOptions kafka;

    @Option(
            names = "--rate",
            defaultValue = "500",
            description =
                    "Target events per second, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--customers",
            defaultValue = "10000",
            description = "Number of simulated customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--products",
            defaultValue = "5000",
            description = "Number of products in the catalogue (default: ${DEFAULT-VALUE}).")
    int products;

    @Option(
            names = "--categories",
            defaultValue = "50",
            description = "Number of product categories (default: ${DEFAULT-VALUE}).")
    int categories;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Random seed: the same seed gives the same catalogue, customers and traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "How long to run, e.g. 60s, 10m, 2h (default: until Ctrl-C).")
    Duration duration;

    @Option(
            names = "--max-events",
            description = "Stop after this many records (default: no limit).")
    Long maxEvents;

    @Option(
            names = "--bad-record-rate",
            defaultValue = "0",
            description =
                    "Share of records, 0 to 1, that are deliberately bad, for the dead-letter demo (default: ${DEFAULT-VALUE}).")
    double badRecordRate;

    @Option(
            names = "--catalog-change-rate",
            defaultValue = "0",
            description =
                    "Share of records, 0 to 1, that are catalog changes (a sale, its end, a stock-out, a restock) of the simulated product system, sent to the catalog topic keyed by product; e.g. 0.001 for a change every thousand records (default: ${DEFAULT-VALUE}, none: the catalog topic must exist first where the broker does not create topics).")
    double catalogChangeRate;

    @Option(
            names = "--guest-share",
            defaultValue = "0",
            description =
                    "Share of shopping visits, 0 to 1, that start as a guest (an anonymous id) and log in mid-visit or at checkout, sent as identifications to the identities topic (default: ${DEFAULT-VALUE}, none: the topic must exist first where the broker does not create topics).")
    double guestShare;

    @Option(
            names = "--attributes-share",
            defaultValue = "0",
            description =
                    "Share of customers, 0 to 1, who state their attributes (birthday, time zone, signup date, preferred channel) on their first visit of the run, sent to the customer-attributes topic keyed by customer; birthdays spread over the year as in life (default: ${DEFAULT-VALUE}, none: the topic must exist first where the broker does not create topics).")
    double attributesShare;

    @Option(
            names = "--review-rate",
            defaultValue = "0",
            description =
                    "Share of placed orders, 0 to 1, that the buyer reviews a little later (one product of the order, stars J-shaped: mostly 5 and 4, some 1), sent to the reviews topic keyed by customer; e.g. 0.1 (default: ${DEFAULT-VALUE}, none: the topic must exist first where the broker does not create topics).")
    double reviewRate;

    @Option(
            names = "--run-id",
            description =
                    "Prefix of event, session and order ids (default: derived from the seed and the start time, so that repeated runs do not look like duplicates to the engine).")
    String runId;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        String ids =
                runId != null
                        ? runId
                        : "g" + seed + "-" + Long.toString(System.currentTimeMillis(), 36);
        StorefrontSimulator simulator =
                new StorefrontSimulator(
                                seed, customers, products, categories, Clock.systemUTC(), ids)
                        .withCatalogChanges(catalogChangeRate)
                        .withGuestSessions(guestShare)
                        .withCustomerAttributes(attributesShare, 0)
                        .withReviews(reviewRate);
        TrafficProducer traffic =
                new TrafficProducer(
                        simulator,
                        kafka.producer("p13n-generate-" + ids),
                        kafka.topics(),
                        rate,
                        badRecordRate);
        out.printf(
                "Sending storefront traffic to %s (clicks -> %s, orders -> %s, catalog -> %s) at %s, run id %s. Ctrl-C stops.%n",
                kafka.bootstrapServers(),
                kafka.clicksTopic(),
                kafka.ordersTopic(),
                kafka.catalogTopic(),
                rate == 0 ? "full speed" : rate + " events/s",
                ids);
        out.flush();

        long started = System.nanoTime();
        ScheduledExecutorService progress =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "generate-progress");
                            thread.setDaemon(true);
                            return thread;
                        });
        progress.scheduleAtFixedRate(
                new ProgressLine(traffic, out),
                PROGRESS_SECONDS,
                PROGRESS_SECONDS,
                TimeUnit.SECONDS);
        try (StopOnShutdown guard = new StopOnShutdown("generate", traffic::stop);
                traffic) {
            traffic.run(duration, maxEvents == null ? 0 : maxEvents);
        } finally {
            progress.shutdownNow();
            progress.awaitTermination(1, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(
                "Done: %,d records sent in %.1f s (%,d clicks, %,d orders, %,d catalog changes, %,d logins, %,d attributes, %,d reviews, %,d bad), %,d failed.%n",
                traffic.recordsSent(),
                seconds,
                traffic.clicksSent(),
                traffic.ordersSent(),
                traffic.catalogChangesSent(),
                traffic.identificationsSent(),
                traffic.attributesSent(),
                traffic.reviewsSent(),
                traffic.badRecordsSent(),
                traffic.failures());
        out.flush();
        if (traffic.firstFailure() != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("First failure: " + traffic.firstFailure());
            err.flush();
        }
        return traffic.failures() == 0 ? 0 : 1;
    }

    private void validate() {
        if (customers < 1 || products < 1 || categories < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--customers, --products and --categories must be at least 1");
        }
        if (rate < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--rate must be 0 (as fast as possible) or positive");
        }
        if (badRecordRate < 0 || badRecordRate > 1) {
            throw new ParameterException(
                    spec.commandLine(), "--bad-record-rate must be within 0..1");
        }
        if (reviewRate < 0 || reviewRate > 1) {
            throw new ParameterException(spec.commandLine(), "--review-rate must be within 0..1");
        }
        if (guestShare < 0 || guestShare > 1) {
            throw new ParameterException(spec.commandLine(), "--guest-share must be within 0..1");
        }
        if (attributesShare < 0 || attributesShare > 1) {
            throw new ParameterException(
                    spec.commandLine(), "--attributes-share must be within 0..1");
        }
        if (catalogChangeRate < 0 || catalogChangeRate > 1) {
            throw new ParameterException(
                    spec.commandLine(), "--catalog-change-rate must be within 0..1");
        }
        if (maxEvents != null && maxEvents < 1) {
            throw new ParameterException(spec.commandLine(), "--max-events must be at least 1");
        }
    }

    /** Prints records sent so far and the rate since the previous line. */
    private static final class ProgressLine implements Runnable {
        private final TrafficProducer traffic;
        private final PrintWriter out;
        private long lastCount;
        private long lastNanos = System.nanoTime();

        ProgressLine(TrafficProducer traffic, PrintWriter out) {
            this.traffic = traffic;
            this.out = out;
        }

        @Override
        public void run() {
            long count = traffic.recordsSent();
            long now = System.nanoTime();
            double perSecond = (count - lastCount) / ((now - lastNanos) / 1e9);
            lastCount = count;
            lastNanos = now;
            out.printf(
                    "%,d records sent (%,d clicks, %,d orders, %,d bad, %,d failed), %,.0f/s%n",
                    count,
                    traffic.clicksSent(),
                    traffic.ordersSent(),
                    traffic.badRecordsSent(),
                    traffic.failures(),
                    perSecond);
            out.flush();
        }
    }
}
