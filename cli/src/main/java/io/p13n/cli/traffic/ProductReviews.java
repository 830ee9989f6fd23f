package io.p13n.cli.traffic;

import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.ReviewEvent;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Random;

/**
 * Reviews of bought products, simulated: a share of placed orders is reviewed a little later (one
 * of its lines, by the buyer) with a realistic, J-shaped rating mix.
 *
 * <p><b>The mix.</b> Online ratings are J-shaped: most are 5 stars, then 4, few 2 or 3, and a bump
 * at 1 (Hu, Pavlou and Zhang, "Overcoming the J-shaped distribution of product reviews",
 * Communications of the ACM 52(10), 2009: the people who write reviews are the delighted and the
 * disappointed). Most products draw from {@link #GOOD}; one in ten is a poor product ({@link
 * #POOR}: the same shape, bent towards one star), so per-product averages differ the way a real
 * catalogue's do and ranking has low-rated products to demote. Store-wide this gives about 58 %
 * five stars, 20 % four, 7 % three, 4 % two and 11 % one: about 15 % of reviews are
 * service-recovery moments at the default {@code reviews.low-rating} of 2.
 *
 * <p><b>Timing.</b> In a real store a review comes days after delivery; here it comes 200 to 2,000
 * records after the order (seconds at demo speed), so the demo shows them. Deterministic for a seed
 * and a sequence of calls (event times aside). Not thread-safe.
 */
final class ProductReviews {
    /** Stars 1 to 5 of a typical product. */
    static final double[] GOOD = {0.08, 0.03, 0.06, 0.20, 0.63};

    /** Stars 1 to 5 of a poor product. */
    static final double[] POOR = {0.40, 0.15, 0.15, 0.15, 0.15};

    /** Share of products that are poor, by a hash of the id (the same products in every run). */
    static final int POOR_IN_TEN = 1;

    /** Reviews waiting to be written; past it the newest orders are not reviewed (bounded). */
    private static final int MAX_PENDING = 10_000;

    private final double rate;
    private final Random random;
    private final String runId;
    private final Clock clock;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long calls;
    private long written;

    private record Pending(long dueAt, String customerId, String productId, String orderId) {}

    /**
     * @param rate share of placed orders that get a review, 0 to 1
     */
    ProductReviews(double rate, Random random, String runId, Clock clock) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("review rate must be within 0..1, was " + rate);
        }
        this.rate = rate;
        this.random = random;
        this.runId = runId;
        this.clock = clock;
    }

    /** A placed order: with probability {@code rate} one of its lines will be reviewed. */
    void onOrder(OrderEvent order) {
        if (order.getLines().isEmpty()
                || pending.size() >= MAX_PENDING
                || random.nextDouble() >= rate) {
            return;
        }
        OrderLine line = order.getLines().get(random.nextInt(order.getLines().size()));
        pending.add(
                new Pending(
                        calls + 200 + random.nextInt(1_801),
                        order.getCustomerId(),
                        line.getProductId(),
                        order.getOrderId()));
    }

    /** Counts a call of the simulator and returns the review due now, if any. */
    ReviewEvent due() {
        calls++;
        Pending next = pending.peek();
        if (next == null || next.dueAt() > calls) {
            return null;
        }
        pending.poll();
        int rating = stars(poor(next.productId()) ? POOR : GOOD, random.nextDouble());
        // two in five ratings come without text; texts run from a line to a few paragraphs
        int text = random.nextDouble() < 0.4 ? 0 : 20 + (int) (random.nextDouble() * 800);
        return ReviewEvent.newBuilder()
                .setEventId(runId + "-r" + Long.toString(written++, 36))
                .setCustomerId(next.customerId())
                .setProductId(next.productId())
                .setRating(rating)
                .setTextLength(text)
                .setOrderId(next.orderId())
                .setEventTime(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    static boolean poor(String productId) {
        return Math.floorMod(productId.hashCode() * 31 + 7, 10) < POOR_IN_TEN;
    }

    /** The stars whose cumulative share first exceeds {@code u}. */
    static int stars(double[] mix, double u) {
        double cumulative = 0;
        for (int i = 0; i < mix.length; i++) {
            cumulative += mix[i];
            if (u < cumulative) {
                return i + 1;
            }
        }
        return mix.length;
    }
}
