package io.p13n.serde;

import io.p13n.model.CatalogEvent;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.ConsentEvent;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.ErasureRequest;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.MessageChannel;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.ReviewEvent;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Rejects events that decode but cannot be trusted: they would corrupt a profile (negative money),
 * be keyed to nobody (missing customer id), or drag the watermark into the future. Returns the
 * reason, or {@code null} when the event is valid (no allocation on the hot path).
 */
public final class EventValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Longest id accepted (customer, event, order, product, category): ids become keyed-state keys
     * and Redis keys, so an unbounded one would make every structure keyed by it unbounded too.
     * UUIDs are 36 characters, e-mail-like ids rarely pass 100; a fuzzed 200,000-character id went
     * through before this bound.
     */
    public static final int MAX_ID_LENGTH = 256;

    private final long maxFutureSkewMillis;

    /**
     * @param maxFutureSkewMillis how far past the wall clock an event time may be (client clocks
     *     drift; anything beyond is a bug, and would move the watermark past every live event)
     */
    public EventValidator(long maxFutureSkewMillis) {
        if (maxFutureSkewMillis < 0) {
            throw new IllegalArgumentException(
                    "maxFutureSkewMillis must be >= 0, was " + maxFutureSkewMillis);
        }
        this.maxFutureSkewMillis = maxFutureSkewMillis;
    }

    public String problemWith(ClickEvent click, long nowMillis) {
        String id =
                tooLong(
                        click.getEventId(),
                        click.getCustomerId(),
                        click.getProductId(),
                        click.getCategoryId());
        if (id != null) {
            return id;
        }
        if (isBlank(click.getEventId())) {
            return "missing eventId";
        }
        if (isBlank(click.getCustomerId())) {
            return "missing customerId";
        }
        String time = problemWithTime(click.getEventTime(), nowMillis);
        if (time != null) {
            return time;
        }
        Double price = click.getPrice();
        if (price != null && !(price >= 0 && Double.isFinite(price))) {
            return "price must be a non-negative number, was " + price;
        }
        Integer quantity = click.getQuantity();
        if (quantity != null && quantity <= 0) {
            return "quantity must be positive, was " + quantity;
        }
        if (needsProduct(click.getType()) && isBlank(click.getProductId())) {
            return click.getType() + " without productId";
        }
        return null;
    }

    public String problemWith(OrderEvent order, long nowMillis) {
        String id = tooLong(order.getOrderId(), order.getCustomerId());
        if (id != null) {
            return id;
        }
        for (OrderLine line : order.getLines()) {
            id = tooLong(line.getProductId(), line.getCategoryId());
            if (id != null) {
                return id;
            }
        }
        if (isBlank(order.getOrderId())) {
            return "missing orderId";
        }
        if (isBlank(order.getCustomerId())) {
            return "missing customerId";
        }
        String time = problemWithTime(order.getEventTime(), nowMillis);
        if (time != null) {
            return time;
        }
        if (!(order.getTotal() >= 0 && Double.isFinite(order.getTotal()))) {
            return "total must be a non-negative number, was " + order.getTotal();
        }
        for (int i = 0; i < order.getLines().size(); i++) {
            OrderLine line = order.getLines().get(i);
            if (isBlank(line.getProductId())) {
                return "line " + i + " without productId";
            }
            if (line.getQuantity() <= 0) {
                return "line " + i + " quantity must be positive, was " + line.getQuantity();
            }
            if (!(line.getUnitPrice() >= 0 && Double.isFinite(line.getUnitPrice()))) {
                return "line "
                        + i
                        + " unitPrice must be a non-negative number, was "
                        + line.getUnitPrice();
            }
        }
        return null;
    }

    /**
     * A consent decision must name its customer and a known purpose; a channel is for marketing
     * only, and an expiry must come after the decision.
     */
    public String problemWith(ConsentEvent consent, long nowMillis) {
        String id = tooLong(consent.getEventId(), consent.getCustomerId());
        if (id != null) {
            return id;
        }
        if (isBlank(consent.getEventId())) {
            return "missing eventId";
        }
        if (isBlank(consent.getCustomerId())) {
            return "missing customerId";
        }
        if (consent.getPurpose() == ConsentPurpose.UNKNOWN) {
            return "purpose must be PERSONALIZATION or MARKETING (an unknown symbol reads as UNKNOWN)";
        }
        if (consent.getChannel() == MessageChannel.UNKNOWN) {
            return "channel must be EMAIL, SMS, PUSH, ONSITE or null (every channel)";
        }
        if (consent.getPurpose() == ConsentPurpose.PERSONALIZATION
                && consent.getChannel() != null) {
            return "personalization consent has no channel, was " + consent.getChannel();
        }
        String time = problemWithTime(consent.getEventTime(), nowMillis);
        if (time != null) {
            return time;
        }
        if (consent.getExpiresAt() != null
                && !consent.getExpiresAt().isAfter(consent.getEventTime())) {
            return "expiresAt must be after eventTime, was " + consent.getExpiresAt();
        }
        return null;
    }

    /**
     * An erasure request must name its customer and carry a request id (the audit trail's handle).
     * Its time is not checked against the clock: a request is honoured whenever it was made.
     */
    /** A catalog change: ids, time, a price that is a non-negative number. */
    public String problemWith(CatalogEvent change, long nowMillis) {
        String id = tooLong(change.getEventId(), change.getProductId(), change.getCategoryId());
        if (id != null) {
            return id;
        }
        if (isBlank(change.getEventId())) {
            return "missing eventId";
        }
        if (isBlank(change.getProductId())) {
            return "missing productId";
        }
        String time = problemWithTime(change.getEventTime(), nowMillis);
        if (time != null) {
            return time;
        }
        Double price = change.getPrice();
        if (price != null && !(price >= 0 && Double.isFinite(price))) {
            return "price must be a non-negative number, was " + price;
        }
        return null;
    }

    public String problemWith(ErasureRequest request) {
        String id = tooLong(request.getRequestId(), request.getCustomerId());
        if (id != null) {
            return id;
        }
        if (isBlank(request.getRequestId())) {
            return "missing requestId";
        }
        if (isBlank(request.getCustomerId())) {
            return "missing customerId";
        }
        return null;
    }

    /**
     * An identification must name three ids (event, anonymous, customer) that are not the same
     * visitor twice, and a plausible time. Its source and the ids' values are judged later, by the
     * merge rules (README, Identity merge): a refused identification is well formed.
     */
    public String problemWith(IdentifyEvent identify, long nowMillis) {
        String id =
                tooLong(
                        identify.getEventId(),
                        identify.getAnonymousId(),
                        identify.getCustomerId(),
                        identify.getSource());
        if (id != null) {
            return id;
        }
        if (isBlank(identify.getEventId())) {
            return "missing eventId";
        }
        if (isBlank(identify.getAnonymousId())) {
            return "missing anonymousId";
        }
        if (isBlank(identify.getCustomerId())) {
            return "missing customerId";
        }
        if (identify.getAnonymousId().equals(identify.getCustomerId())) {
            return "anonymousId and customerId are the same id";
        }
        return problemWithTime(identify.getEventTime(), nowMillis);
    }

    /** Highest rating; ratings are whole stars from 1. */
    public static final int MAX_RATING = 5;

    /**
     * A review: ids, a rating of 1 to {@link #MAX_RATING} stars, a text length, a plausible time.
     */
    public String problemWith(ReviewEvent review, long nowMillis) {
        String id =
                tooLong(
                        review.getEventId(),
                        review.getCustomerId(),
                        review.getProductId(),
                        review.getOrderId());
        if (id != null) {
            return id;
        }
        if (isBlank(review.getEventId())) {
            return "missing eventId";
        }
        if (isBlank(review.getCustomerId())) {
            return "missing customerId";
        }
        if (isBlank(review.getProductId())) {
            return "missing productId";
        }
        if (review.getRating() < 1 || review.getRating() > MAX_RATING) {
            return "rating must be 1 to " + MAX_RATING + " stars, was " + review.getRating();
        }
        if (review.getTextLength() < 0) {
            return "textLength must not be negative, was " + review.getTextLength();
        }
        return problemWithTime(review.getEventTime(), nowMillis);
    }

    /**
     * Customer attributes: ids, a plausible time, and each stated attribute parseable (a birthday
     * as MM-DD or YYYY-MM-DD, a time zone Java knows, a signup date as YYYY-MM-DD not after the
     * event), so the stages after never meet one they cannot use.
     */
    public String problemWith(CustomerAttributesEvent attributes, long nowMillis) {
        String id =
                tooLong(
                        attributes.getEventId(),
                        attributes.getCustomerId(),
                        attributes.getBirthday(),
                        attributes.getTimeZone(),
                        attributes.getSignupDate());
        if (id != null) {
            return id;
        }
        if (isBlank(attributes.getEventId())) {
            return "missing eventId";
        }
        if (isBlank(attributes.getCustomerId())) {
            return "missing customerId";
        }
        String time = problemWithTime(attributes.getEventTime(), nowMillis);
        if (time != null) {
            return time;
        }
        if (attributes.getBirthday() != null && birthday(attributes.getBirthday()) == null) {
            return "birthday must be MM-DD or YYYY-MM-DD, was '" + attributes.getBirthday() + "'";
        }
        if (attributes.getTimeZone() != null) {
            try {
                ZoneId.of(attributes.getTimeZone());
            } catch (DateTimeException e) {
                return "timeZone must be an IANA time zone id such as Europe/Berlin, was '"
                        + attributes.getTimeZone()
                        + "'";
            }
        }
        if (attributes.getSignupDate() != null) {
            LocalDate signup;
            try {
                signup = LocalDate.parse(attributes.getSignupDate());
            } catch (DateTimeParseException e) {
                return "signupDate must be YYYY-MM-DD, was '" + attributes.getSignupDate() + "'";
            }
            // A day of slack: the event time is UTC, the signup day the store's local date.
            if (signup.toEpochDay() * 86_400_000L
                    > attributes.getEventTime().toEpochMilli() + 86_400_000L) {
                return "signupDate " + signup + " is after the event's time";
            }
        }
        return null;
    }

    /** The month and day of a birthday written MM-DD or YYYY-MM-DD; null if it is neither. */
    public static MonthDay birthday(String value) {
        try {
            if (value.length() == 5) {
                return MonthDay.parse("--" + value);
            }
            return MonthDay.from(LocalDate.parse(value));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A message about the first id longer than {@link #MAX_ID_LENGTH}, or null. */
    private static String tooLong(String... ids) {
        for (String id : ids) {
            if (id != null && id.length() > MAX_ID_LENGTH) {
                return "id of "
                        + id.length()
                        + " characters (at most "
                        + MAX_ID_LENGTH
                        + "), starting "
                        + id.substring(0, 16);
            }
        }
        return null;
    }

    private String problemWithTime(Instant eventTime, long nowMillis) {
        if (eventTime == null) {
            return "missing eventTime";
        }
        long millis = eventTime.toEpochMilli();
        if (millis <= 0) {
            return "eventTime " + eventTime + " is not after 1970-01-01";
        }
        if (millis > nowMillis + maxFutureSkewMillis) {
            return "eventTime "
                    + eventTime
                    + " is more than "
                    + maxFutureSkewMillis
                    + " ms in the future";
        }
        return null;
    }

    private static boolean needsProduct(ClickType type) {
        return type == ClickType.PRODUCT_VIEW
                || type == ClickType.ADD_TO_CART
                || type == ClickType.REMOVE_FROM_CART
                || type == ClickType.WISHLIST;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
