package io.p13n.jobs.catalog;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.state.PreAggregateOperator;
import io.p13n.model.CatalogEvent;
import io.p13n.model.CatalogInput;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.ProductInterest;
import io.p13n.model.ProductReview;
import io.p13n.model.ReviewEvent;
import io.p13n.model.SourceRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The inputs of {@link CatalogWatchersFunction}: catalog changes, customers' interest, and reviews'
 * stars.
 */
public final class CatalogInputs {
    private CatalogInputs() {}

    /** The product a catalog input is about (its key). */
    public static String productId(CatalogInput input) {
        if (input.getPayload() instanceof ProductReview review) {
            return review.getProductId();
        }
        return input.getPayload() instanceof CatalogEvent event
                ? event.getProductId()
                : ((ProductInterest) input.getPayload()).getProductId();
    }

    /**
     * A customer's interest in a product, from a unique event: viewed (1), wishlisted (2) or put in
     * the cart (3); a review's stars; nothing for other events.
     */
    public static void interests(CustomerEvent event, Collector<CatalogInput> out) {
        if (event.getPayload() instanceof ReviewEvent review) {
            // The stars only, for the product's rating: an aggregate without the reviewer's id.
            out.collect(
                    new CatalogInput(
                            new ProductReview(
                                    review.getProductId(),
                                    (long) review.getRating(),
                                    1L,
                                    review.getEventTime().toEpochMilli())));
            return;
        }
        if (!(event.getPayload() instanceof ClickEvent click) || click.getProductId() == null) {
            return;
        }
        int strength =
                click.getType() == ClickType.ADD_TO_CART
                        ? 3
                        : click.getType() == ClickType.WISHLIST
                                ? 2
                                : click.getType() == ClickType.PRODUCT_VIEW ? 1 : 0;
        if (strength > 0) {
            out.collect(
                    new CatalogInput(
                            new ProductInterest(
                                    click.getCustomerId(),
                                    click.getProductId(),
                                    strength,
                                    click.getEventTime().toEpochMilli())));
        }
    }

    /**
     * The catalog topic's records: decoded changes on, dead letters to {@link
     * OutputTags#DEAD_LETTERS}.
     */
    public static final class Route extends ProcessFunction<SourceRecord, CatalogInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(SourceRecord record, Context ctx, Collector<CatalogInput> out) {
            if (record.getPayload() instanceof CatalogEvent event) {
                out.collect(new CatalogInput(event));
            } else if (record.getPayload() instanceof DeadLetter letter) {
                ctx.output(OutputTags.DEAD_LETTERS, letter);
            }
        }
    }

    /**
     * Combines one customer's interests in one product within a bundle, before the shuffle by
     * product: a shopper who opens a product page five times in a minute costs the product's state
     * one update. Reviews of one product add up (a rating is a sum and a count). Catalog changes
     * are never combined (each is keyed by its own event id).
     */
    public static final class CombineInterests
            implements PreAggregateOperator.Combiner<CatalogInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public String keyOf(CatalogInput input) {
            if (input.getPayload() instanceof ProductInterest interest) {
                return interest.getProductId() + '\u0000' + interest.getCustomerId();
            }
            if (input.getPayload() instanceof ProductReview review) {
                return "review\u0000" + review.getProductId();
            }
            return "catalog\u0000" + ((CatalogEvent) input.getPayload()).getEventId();
        }

        @Override
        public CatalogInput combine(CatalogInput earlier, CatalogInput later) {
            if (earlier.getPayload() instanceof ProductInterest a
                    && later.getPayload() instanceof ProductInterest b) {
                a.setStrength(Math.max(a.getStrength(), b.getStrength()));
                a.setEventTime(Math.max(a.getEventTime(), b.getEventTime()));
                return earlier;
            }
            if (earlier.getPayload() instanceof ProductReview a
                    && later.getPayload() instanceof ProductReview b) {
                a.setRatingSum(a.getRatingSum() + b.getRatingSum());
                a.setRatings(a.getRatings() + b.getRatings());
                a.setEventTime(Math.max(a.getEventTime(), b.getEventTime()));
                return earlier;
            }
            return later; // the same catalog event twice: one is enough
        }

        @Override
        public CatalogInput own(CatalogInput input) {
            return CatalogInput.newBuilder(input).build();
        }
    }
}
