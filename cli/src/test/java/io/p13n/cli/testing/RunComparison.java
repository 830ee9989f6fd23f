package io.p13n.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.OfferDecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * What a run of the engine left for its customers, and how it compares with a failure-free
 * reference run of the same events: each customer's profile hash field by field, the coupons on the
 * offer-triggers topic (read committed) and the active offers in Redis. A run that failed and
 * recovered must leave exactly what the reference left.
 *
 * <p>Nothing is left out of the comparison: every field of the profile hash and of the
 * active-offers document is derived from event time (times, windows and decayed scores as of the
 * customer's newest event, or of the watermark where that is later; the document's {@code
 * updatedAt} is {@code max(watermark, issuedAt)}), none from the wall clock. A field that follows
 * the watermark would differ between two runs whose watermarks overtook their events differently;
 * it is compared all the same, and so far has not differed.
 */
public final class RunComparison {
    private static final Logger LOG = LoggerFactory.getLogger(RunComparison.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunComparison() {}

    /**
     * What one run left, per customer: the profile hash (absent: no key), the coupons on the
     * offer-triggers topic as {@code campaign decisionId couponCode issuedAt} in topic order, and
     * the Redis active-offers document (absent: no key).
     */
    public record Outcome(
            SortedMap<String, Map<String, String>> profiles,
            SortedMap<String, List<String>> coupons,
            SortedMap<String, String> redisOffers) {

        /** Coupons on the topic, all customers. */
        public int couponCount() {
            return coupons.values().stream().mapToInt(List::size).sum();
        }
    }

    /** Reads what a run left for {@code customers}, with key layout {@code keys}. */
    public static Outcome read(
            UnifiedJedis redis,
            RedisKeys keys,
            String bootstrapServers,
            String offerTriggersTopic,
            Collection<String> customers) {
        SortedMap<String, List<String>> coupons = new TreeMap<>();
        for (OfferDecision d : TopicReader.offerDecisions(bootstrapServers, offerTriggersTopic)) {
            coupons.computeIfAbsent(d.getCustomerId(), c -> new ArrayList<>())
                    .add(
                            d.getCampaignId()
                                    + " "
                                    + d.getDecisionId()
                                    + " "
                                    + d.getCouponCode()
                                    + " "
                                    + d.getIssuedAt());
        }
        SortedMap<String, String> offers = new TreeMap<>();
        for (String c : customers) {
            String json = redis.get(keys.activeOffers(c));
            if (json != null) {
                offers.put(c, json);
            }
        }
        return new Outcome(profiles(redis, keys, customers), coupons, offers);
    }

    /** The profile hash of each customer that has one. */
    public static SortedMap<String, Map<String, String>> profiles(
            UnifiedJedis redis, RedisKeys keys, Collection<String> customers) {
        SortedMap<String, Map<String, String>> profiles = new TreeMap<>();
        for (String c : customers) {
            Map<String, String> hash = redis.hgetAll(keys.profile(c));
            if (!hash.isEmpty()) {
                profiles.put(c, new TreeMap<>(hash));
            }
        }
        return profiles;
    }

    /**
     * One line per customer whose profile differs, naming each field that does ({@code customer:
     * field=reference|actual, ...}); a profile missing on one side shows as {@code <none>}.
     */
    public static List<String> profileDifferences(
            Map<String, Map<String, String>> reference, Map<String, Map<String, String>> actual) {
        Set<String> customers = new TreeSet<>(reference.keySet());
        customers.addAll(actual.keySet());
        List<String> differences = new ArrayList<>();
        for (String c : customers) {
            Map<String, String> expected = reference.get(c);
            Map<String, String> found = actual.get(c);
            if (expected == null || found == null) {
                differences.add(
                        c
                                + ": "
                                + (expected == null ? "<none>" : "profile")
                                + "|"
                                + (found == null ? "<none>" : "profile"));
                continue;
            }
            Set<String> fields = new TreeSet<>(expected.keySet());
            fields.addAll(found.keySet());
            List<String> differing = new ArrayList<>();
            for (String f : fields) {
                if (!Objects.equals(expected.get(f), found.get(f))) {
                    differing.add(f + "=" + expected.get(f) + "|" + found.get(f));
                }
            }
            if (!differing.isEmpty()) {
                differences.add(c + ": " + String.join(", ", differing));
            }
        }
        return differences;
    }

    /**
     * How a run compares with its reference. Lists are empty when the runs agree: {@code
     * duplicateCoupons} are coupons on the run's topic more than once, {@code missingCoupons} the
     * reference's coupons not on it, {@code unexpectedCoupons} the run's coupons not on the
     * reference's, {@code differingRedisOffers} the customers whose active offers in Redis differ.
     */
    public record Result(
            String run,
            long events,
            int customers,
            List<String> differingProfiles,
            int referenceCoupons,
            int coupons,
            List<String> duplicateCoupons,
            List<String> referenceDuplicateCoupons,
            List<String> missingCoupons,
            List<String> unexpectedCoupons,
            int referenceCustomersWithOffers,
            int customersWithOffers,
            List<String> differingRedisOffers) {

        /** The figures, one line, for the log and the assertions' descriptions. */
        public String summary() {
            return String.format(
                    "%s: %d events in, %d customers compared with a failure-free run:"
                            + " %d profiles differing; coupons on the topic (read committed) %d,"
                            + " reference %d: %d duplicate, %d missing, %d unexpected (reference"
                            + " duplicates %d); customers with offers in Redis %d, reference %d,"
                            + " %d differing",
                    run,
                    events,
                    customers,
                    differingProfiles.size(),
                    coupons,
                    referenceCoupons,
                    duplicateCoupons.size(),
                    missingCoupons.size(),
                    unexpectedCoupons.size(),
                    referenceDuplicateCoupons.size(),
                    customersWithOffers,
                    referenceCustomersWithOffers,
                    differingRedisOffers.size());
        }

        /**
         * Fails unless the run left exactly what the reference left; each failure gives {@link
         * #summary}.
         */
        public void assertAgrees() {
            String figures = summary();
            assertThat(referenceDuplicateCoupons)
                    .as("coupons the reference issued twice; %s", figures)
                    .isEmpty();
            assertThat(differingProfiles).as("profiles differing; %s", figures).isEmpty();
            assertThat(duplicateCoupons).as("coupons issued twice; %s", figures).isEmpty();
            assertThat(missingCoupons).as("coupons missing; %s", figures).isEmpty();
            assertThat(unexpectedCoupons).as("coupons unexpected; %s", figures).isEmpty();
            assertThat(differingRedisOffers)
                    .as("active offers in Redis differing; %s", figures)
                    .isEmpty();
        }
    }

    /**
     * Compares a run with its failure-free reference for {@code customers} and logs the figures;
     * {@code run} names the run and {@code events} counts the events both read.
     */
    public static Result compare(
            String run,
            long events,
            Outcome reference,
            Outcome actual,
            Collection<String> customers) {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        Set<String> customersWithCoupons = new TreeSet<>(reference.coupons().keySet());
        customersWithCoupons.addAll(actual.coupons().keySet());
        for (String c : customersWithCoupons) {
            Set<String> expected = new TreeSet<>(reference.coupons().getOrDefault(c, List.of()));
            Set<String> found = new TreeSet<>(actual.coupons().getOrDefault(c, List.of()));
            for (String coupon : expected) {
                if (!found.contains(coupon)) {
                    missing.add(c + " " + coupon);
                }
            }
            for (String coupon : found) {
                if (!expected.contains(coupon)) {
                    unexpected.add(c + " " + coupon);
                }
            }
        }
        List<String> differingOffers = new ArrayList<>();
        for (String c : customers) {
            String expected = reference.redisOffers().get(c);
            String found = actual.redisOffers().get(c);
            if (!Objects.equals(expected, found)) {
                differingOffers.add(c + ": " + expected + "|" + found);
            }
        }
        Result result =
                new Result(
                        run,
                        events,
                        customers.size(),
                        profileDifferences(
                                restrict(reference.profiles(), customers),
                                restrict(actual.profiles(), customers)),
                        reference.couponCount(),
                        actual.couponCount(),
                        duplicates(actual),
                        duplicates(reference),
                        missing,
                        unexpected,
                        reference.redisOffers().size(),
                        actual.redisOffers().size(),
                        differingOffers);
        LOG.info(result.summary());
        return result;
    }

    /**
     * Reads the outcome until two reads with a completed checkpoint between them agree: coupons
     * reach the topic and active offers reach Redis when the checkpoint covering them is committed,
     * which trails the job's other output; two equal reads a checkpoint apart leave nothing in
     * flight.
     */
    public static Outcome settled(
            Supplier<Outcome> read, CheckedRunnable awaitNextCheckpoint, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Outcome previous = read.get();
        while (true) {
            awaitNextCheckpoint.run();
            Outcome next = read.get();
            if (next.equals(previous)) {
                return next;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the run's output still changed after " + timeout + " of checkpoints");
            }
            previous = next;
        }
    }

    /**
     * Waits until a run has counted every order in Redis and its coupons and active offers are
     * committed, then reads what it left. Decisions follow the orders through the job and leave
     * with the checkpoint that covers them: the second checkpoint after the last order shows in
     * Redis started after the last decision was made.
     *
     * @param completedCheckpoint the id of the run's newest completed checkpoint, negative while
     *     unknown
     */
    public static Outcome readAfterCheckpoints(
            UnifiedJedis redis,
            RedisKeys keys,
            String bootstrapServers,
            String offerTriggersTopic,
            List<String> customers,
            Map<String, Integer> expectedOrders,
            LongSupplier completedCheckpoint,
            Duration timeout,
            String when)
            throws Exception {
        TestJobs.awaitTrue(
                "every order in Redis " + when,
                timeout,
                () -> TestJobs.ordersInRedis(redis, keys, customers).equals(expectedOrders));
        long covering = known(completedCheckpoint, timeout, when) + 2;
        TestJobs.awaitTrue(
                "two more checkpoints " + when,
                timeout,
                () -> completedCheckpoint.getAsLong() >= covering);
        Outcome outcome =
                settled(
                        () -> read(redis, keys, bootstrapServers, offerTriggersTopic, customers),
                        () -> {
                            long next = known(completedCheckpoint, timeout, when) + 1;
                            TestJobs.awaitTrue(
                                    "the next checkpoint " + when,
                                    timeout,
                                    () -> completedCheckpoint.getAsLong() >= next);
                        },
                        timeout);
        assertThat(TestJobs.ordersInRedis(redis, keys, customers))
                .as("orders per customer in Redis " + when)
                .isEqualTo(expectedOrders);
        return outcome;
    }

    private static long known(LongSupplier completedCheckpoint, Duration timeout, String when)
            throws Exception {
        long[] id = {-1};
        TestJobs.awaitTrue(
                "the newest checkpoint " + when,
                timeout,
                () -> (id[0] = completedCheckpoint.getAsLong()) >= 0);
        return id[0];
    }

    /**
     * What the data of the crash tests implies of a failure-free run, so that a comparison is not
     * between two empty runs: one coupon per customer (the milestone passed), held as one active
     * offer.
     */
    public static void assertOneCouponEach(Outcome reference, int customers) {
        assertThat(reference.coupons().values())
                .as("coupons per customer in the reference run")
                .hasSize(customers)
                .allMatch(coupons -> coupons.size() == 1);
        assertThat(reference.redisOffers().values())
                .as("active offers per customer in the reference run")
                .hasSize(customers)
                .allMatch(document -> offerCount(document) == 1);
    }

    /** A wait that may fail. */
    @FunctionalInterface
    public interface CheckedRunnable {
        void run() throws Exception;
    }

    private static List<String> duplicates(Outcome outcome) {
        List<String> duplicates = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : outcome.coupons().entrySet()) {
            Set<String> seen = new HashSet<>();
            for (String coupon : e.getValue()) {
                if (!seen.add(coupon)) {
                    duplicates.add(e.getKey() + " " + coupon);
                }
            }
        }
        return duplicates;
    }

    private static SortedMap<String, Map<String, String>> restrict(
            SortedMap<String, Map<String, String>> profiles, Collection<String> customers) {
        SortedMap<String, Map<String, String>> some = new TreeMap<>(profiles);
        some.keySet().retainAll(Set.copyOf(customers));
        return some;
    }

    /** The number of offers in an active-offers document. */
    public static int offerCount(String document) {
        try {
            return JSON.readTree(document).path("offers").size();
        } catch (IOException e) {
            throw new UncheckedIOException("not an active-offers document: " + document, e);
        }
    }
}
