package io.p13n.cli.traffic;

import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.MessageChannel;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/**
 * What simulated customers tell the store about themselves, as {@link CustomerAttributesEvent}s: a
 * share of customers state their attributes once, on their first visit of the run (the account
 * page, or the store's CRM syncing them). Most state a birthday (adults born 1950 to 2008, so
 * February 29 comes up as often as it does in life, some with the year), many a time zone (a mix
 * weighted towards Europe and the Americas; the others get the engine's default), a signup date in
 * the last six years, and a preferred channel (email most, then push, SMS, on-site).
 *
 * <p>A share of the stated birthdays and signup dates falls on today in the customer's own zone, so
 * a demo sees birthday and anniversary moments within minutes instead of once a year per customer.
 *
 * <p>Deterministic for a seed and a sequence of calls (event times and "today" aside). Not
 * thread-safe.
 */
final class CustomerAttributes {
    /** Of the customers who state attributes, this share states a birthday. */
    private static final double BIRTHDAY_SHARE = 0.85;

    /** ... of those, this share with the year (YYYY-MM-DD, of which only MM-DD is kept). */
    private static final double BIRTH_YEAR_SHARE = 0.4;

    private static final double TIME_ZONE_SHARE = 0.75;
    private static final double SIGNUP_SHARE = 0.9;
    private static final double CHANNEL_SHARE = 0.7;

    /** Signups up to this many days ago (six years). */
    private static final int SIGNUP_DAYS = 6 * 365;

    private static final LocalDate BORN_FROM = LocalDate.of(1950, 1, 1);
    private static final LocalDate BORN_UNTIL = LocalDate.of(2008, 12, 31);

    /** Time zones with their weight: a European store with customers across the world. */
    private static final String[] ZONES = {
        "Europe/Berlin",
        "Europe/London",
        "Europe/Paris",
        "America/New_York",
        "America/Chicago",
        "America/Los_Angeles",
        "America/Sao_Paulo",
        "Asia/Kolkata",
        "Asia/Tokyo",
        "Australia/Sydney",
        "Asia/Singapore",
        "Pacific/Auckland",
        "Africa/Johannesburg"
    };

    private static final double[] ZONE_WEIGHTS = {24, 12, 10, 14, 6, 8, 5, 5, 5, 4, 3, 2, 2};

    private static final MessageChannel[] CHANNELS = {
        MessageChannel.EMAIL, MessageChannel.PUSH, MessageChannel.SMS, MessageChannel.ONSITE
    };

    private static final double[] CHANNEL_WEIGHTS = {50, 25, 15, 10};

    private final Random random;
    private final String runId;
    private final Clock clock;
    private double share;
    private double todayShare;
    private final boolean[] decided;
    private long events;

    /**
     * Nobody states attributes until {@link #shares} says who does.
     *
     * @param customers size of the population
     */
    CustomerAttributes(Random random, String runId, Clock clock, int customers) {
        this.random = random;
        this.runId = runId;
        this.clock = clock;
        this.decided = new boolean[customers];
    }

    /**
     * @param share of customers who state attributes, 0 to 1
     * @param todayShare of stated birthdays and signup dates that fall on today, 0 to 1
     */
    CustomerAttributes shares(double share, double todayShare) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException(
                    "attributes share must be within 0..1, was " + share);
        }
        if (todayShare < 0 || todayShare > 1) {
            throw new IllegalArgumentException(
                    "birthday-today share must be within 0..1, was " + todayShare);
        }
        this.share = share;
        this.todayShare = todayShare;
        return this;
    }

    /**
     * The attributes {@code customer} states on their first visit of the run; null on a later visit
     * or for a customer who states none.
     */
    CustomerAttributesEvent onVisit(int customer, String customerId) {
        if (share == 0 || decided[customer]) {
            return null; // off: no random draws, so the other events of a seed stay the same
        }
        decided[customer] = true;
        if (random.nextDouble() >= share) {
            return null;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String zone = random.nextDouble() < TIME_ZONE_SHARE ? ZONES[pick(ZONE_WEIGHTS)] : null;
        // "Today" where the customer lives (for one without a zone: UTC, the engine's default).
        LocalDate today = now.atZone(zone == null ? ZoneOffset.UTC : ZoneId.of(zone)).toLocalDate();
        String birthday = null;
        if (random.nextDouble() < BIRTHDAY_SHARE) {
            LocalDate born =
                    BORN_FROM.plusDays(
                            random.nextInt((int) ChronoUnit.DAYS.between(BORN_FROM, BORN_UNTIL)));
            if (random.nextDouble() < todayShare) {
                born = today.withYear(born.getYear()); // February 29 becomes the 28th
            }
            String full = born.toString();
            birthday = random.nextDouble() < BIRTH_YEAR_SHARE ? full : full.substring(5);
        }
        String signup = null;
        if (random.nextDouble() < SIGNUP_SHARE) {
            LocalDate day =
                    random.nextDouble() < todayShare
                            ? today.minusYears(1 + random.nextInt(5))
                            : LocalDate.ofInstant(now, ZoneOffset.UTC)
                                    .minusDays(1 + random.nextInt(SIGNUP_DAYS));
            signup = day.toString();
        }
        MessageChannel channel =
                random.nextDouble() < CHANNEL_SHARE ? CHANNELS[pick(CHANNEL_WEIGHTS)] : null;
        return CustomerAttributesEvent.newBuilder()
                .setEventId(runId + "-a" + Long.toString(events++, 36))
                .setCustomerId(customerId)
                .setBirthday(birthday)
                .setTimeZone(zone)
                .setSignupDate(signup)
                .setPreferredChannel(channel)
                .setEventTime(now)
                .build();
    }

    private int pick(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.length - 1; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
