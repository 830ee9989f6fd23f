package io.p13n.jobs.profile;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.TriggerType;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer's birthday and signup anniversary as moments ({@link TriggerType#BIRTHDAY}, {@link
 * TriggerType#SIGNUP_ANNIVERSARY}), once a year each, on the customer's local date. Pure: the
 * customer stage calls it and emits what it returns (README, Customer attributes, birthdays and
 * anniversaries).
 *
 * <ul>
 *   <li><b>When.</b> An occasion's moment is at the start of its day in the customer's time zone
 *       (their stated {@code timeZone}, else {@code customers.default-time-zone}); a birthday's
 *       {@code customers.birthday-lead-days} earlier. Where midnight does not exist (a DST change
 *       at midnight) the day starts at its first valid instant.
 *   <li><b>February 29</b> is celebrated on February 28 in common years (java.time's rule for a
 *       month-day in a year without it: the day stays in its month).
 *   <li><b>Anniversaries</b> from the first one on: the year of signing up has none.
 *   <li><b>Already past.</b> When attributes arrive (or are restated), an occasion whose day is
 *       over in the customer's zone is not fired; one whose day is still going on fires at once. So
 *       a birthday stated in the afternoon of the birthday still gets its moment, one stated the
 *       day after waits for next year.
 *   <li><b>Once a year.</b> The year of the last occasion fired (or skipped as past) is kept per
 *       kind in the profile ({@code birthdayMomentYear}, {@code anniversaryMomentYear}), which is
 *       keyed state in the same checkpoint as the moments: a restart, a replayed event or a second
 *       timer never fires a year twice, and a birthday moved to a later date in the year it was
 *       already celebrated waits for the next year.
 *   <li><b>Late.</b> An occasion known in time fires when the customer's clock passes it, however
 *       late (the engine was down, a partition lagged): its moment keeps its own time, so the offer
 *       it gives expires as it would have. Only an occasion found more than {@link #BELATED} after
 *       its day is skipped: a birthday greeting a week late is still one, a month late is not.
 *   <li><b>Horizon.</b> The next occasion is armed only within {@code state.customer-ttl} of the
 *       customer's last event or attributes: otherwise every customer who ever stated a birthday
 *       would hold a timer, and rewrite their state, every year forever (and a watermark at the end
 *       of time would fire year after year). A customer who comes back gets theirs again.
 * </ul>
 */
public final class CustomerDates implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Longest lead for a birthday: a month, a "birthday month" campaign. Any lead under a year
     * keeps one year's window from overlapping the next.
     */
    public static final int MAX_LEAD_DAYS = 31;

    /** How long after its day an occasion found late still fires (see the class comment). */
    static final long BELATED = Duration.ofDays(7).toMillis();

    private final ZoneId defaultZone;
    private final int birthdayLeadDays;
    private final long horizonMillis;

    /**
     * @param defaultZone customers.default-time-zone
     * @param birthdayLeadDays customers.birthday-lead-days, 0 to {@link #MAX_LEAD_DAYS}
     * @param horizon state.customer-ttl: occasions are armed within it of the last event
     */
    public CustomerDates(ZoneId defaultZone, int birthdayLeadDays, Duration horizon) {
        if (defaultZone == null) {
            throw new IllegalArgumentException("defaultZone must be set");
        }
        if (birthdayLeadDays < 0 || birthdayLeadDays > MAX_LEAD_DAYS) {
            throw new IllegalArgumentException(
                    "birthdayLeadDays must be within 0.."
                            + MAX_LEAD_DAYS
                            + ", was "
                            + birthdayLeadDays);
        }
        if (horizon == null || horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("horizon must be positive, was " + horizon);
        }
        this.defaultZone = defaultZone;
        this.birthdayLeadDays = birthdayLeadDays;
        this.horizonMillis = horizon.toMillis();
    }

    /**
     * From customers.default-time-zone, customers.birthday-lead-days and state.customer-ttl (the
     * horizon).
     */
    public static CustomerDates from(EngineConfig config) {
        return new CustomerDates(
                config.get(EngineOptions.CUSTOMERS_DEFAULT_TIME_ZONE),
                config.get(EngineOptions.CUSTOMERS_BIRTHDAY_LEAD_DAYS),
                config.get(EngineOptions.STATE_CUSTOMER_TTL));
    }

    /** Whether the profile has a date this class watches (a birthday or a signup day). */
    public static boolean hasDates(CustomerProfile p) {
        return p.getBirthday() != null || p.getSignupDay() > 0;
    }

    /**
     * The customer stated attributes at {@code eventTime}, and it is {@code now} for them:
     * occasions whose day is over are marked as past (they will not fire), the next one is
     * recomputed.
     */
    public void restated(CustomerProfile p, long eventTime, long now) {
        p.setAttributesTime(Math.max(p.getAttributesTime(), eventTime));
        skipPast(p, now);
    }

    /**
     * The moments due at {@code now}, oldest first, each marked as fired on the profile, whose next
     * occasion ({@code nextDateMoment}) moves on. The customer stage asks on its timer only (see
     * {@link #deadline}). Nothing to compute for a profile without dates, or whose next occasion is
     * still ahead: one comparison.
     */
    public List<CustomerMoment> due(CustomerProfile p, long now) {
        if (!hasDates(p)) {
            return List.of();
        }
        schedule(p, now);
        if (now < p.getNextDateMoment()) {
            return List.of();
        }
        ZoneId zone = zoneOf(p);
        List<CustomerMoment> moments = new ArrayList<>(1);
        for (Occasion o : occasions(p)) {
            int mark = o.mark(p);
            // Ends: every turn takes a later year, and some year starts after now.
            while (true) {
                int year = o.nextYear(mark);
                long start = o.start(year, zone);
                if (start > now) {
                    break;
                }
                mark = year;
                if (now < o.end(year, zone) + BELATED) {
                    moments.add(o.moment(p.getCustomerId(), year, start));
                }
            }
            o.setMark(p, mark);
        }
        moments.sort((a, b) -> Long.compare(a.getEventTime(), b.getEventTime()));
        p.setNextDateMoment(next(p, zone));
        return moments;
    }

    /**
     * The event time to arm the customer's timer for at {@code now}, {@link Long#MAX_VALUE} for
     * none: the next occasion if it is within the horizon of the customer's last event or
     * attributes; {@code now} itself if it is due already (stated on the day), so that its moment
     * comes from the timer, with the next watermark, and never in the same breath as a new
     * customer's first profile: the two travel to the offer stage on different channels, and a
     * moment that overtook the profile would find no customer there.
     */
    public long deadline(CustomerProfile p, long now) {
        schedule(p, now);
        long next = p.getNextDateMoment();
        if (next == 0) {
            return Long.MAX_VALUE;
        }
        long seen = Math.max(p.getLastEventTime(), p.getAttributesTime());
        return next - seen <= horizonMillis ? Math.max(next, now) : Long.MAX_VALUE;
    }

    /**
     * Dates known but never scheduled (consent given back, an identity merge, a profile restored
     * from before this class): known only now, so what is past stays past.
     */
    private void schedule(CustomerProfile p, long now) {
        if (p.getNextDateMoment() == 0 && hasDates(p)) {
            skipPast(p, now);
        }
    }

    /** The zone the customer's dates are reckoned in. */
    public ZoneId zoneOf(CustomerProfile p) {
        if (p.getTimeZone() != null) {
            try {
                return ZoneId.of(p.getTimeZone());
            } catch (DateTimeException e) {
                // validated at the door; a zone a newer JVM knew and this one does not: the default
            }
        }
        return defaultZone;
    }

    private void skipPast(CustomerProfile p, long now) {
        ZoneId zone = zoneOf(p);
        for (Occasion o : occasions(p)) {
            o.setMark(p, Math.max(o.mark(p), o.lastYearOver(now, zone)));
        }
        p.setNextDateMoment(next(p, zone));
    }

    /** The start of the earliest next occasion, 0 when the profile has no dates. */
    private long next(CustomerProfile p, ZoneId zone) {
        long next = Long.MAX_VALUE;
        for (Occasion o : occasions(p)) {
            next = Math.min(next, o.start(o.nextYear(o.mark(p)), zone));
        }
        return next == Long.MAX_VALUE ? 0 : next;
    }

    private List<Occasion> occasions(CustomerProfile p) {
        List<Occasion> list = new ArrayList<>(2);
        if (p.getBirthday() != null) {
            MonthDay day = birthday(p.getBirthday());
            if (day != null) {
                list.add(
                        new Occasion(
                                TriggerType.BIRTHDAY, day, Integer.MIN_VALUE, birthdayLeadDays));
            }
        }
        if (p.getSignupDay() > 0) {
            LocalDate signup = LocalDate.ofEpochDay(p.getSignupDay());
            list.add(
                    new Occasion(
                            TriggerType.SIGNUP_ANNIVERSARY,
                            MonthDay.from(signup),
                            signup.getYear() + 1,
                            0));
        }
        return list;
    }

    /** The profile's {@code MM-DD} birthday; null if it is not one. */
    static MonthDay birthday(String mmdd) {
        try {
            return MonthDay.parse("--" + mmdd);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * An occasion that comes back every year on {@code day}, first in {@code firstYear}, its moment
     * {@code leadDays} before the day.
     */
    record Occasion(TriggerType trigger, MonthDay day, int firstYear, int leadDays) {

        /** The date in {@code year}: February 29 is February 28 in a common year. */
        LocalDate date(int year) {
            return day.atYear(year);
        }

        /** When the occasion of {@code year} fires: the start of its (lead) day in the zone. */
        long start(int year, ZoneId zone) {
            return millis(date(year).minusDays(leadDays), zone);
        }

        /** When its day is over: the start of the next day in the zone. */
        long end(int year, ZoneId zone) {
            return millis(date(year).plusDays(1), zone);
        }

        /** The year after {@code mark}, not before the first. */
        int nextYear(int mark) {
            return Math.max(mark + 1, firstYear);
        }

        /** The latest year whose day is over at {@code now}. */
        int lastYearOver(long now, ZoneId zone) {
            int year = Instant.ofEpochMilli(now).atZone(zone).getYear();
            // Next year's day ends after the 1st of January, so this year's or the last is it.
            return end(year, zone) <= now ? year : year - 1;
        }

        int mark(CustomerProfile p) {
            return trigger == TriggerType.BIRTHDAY
                    ? p.getBirthdayMomentYear()
                    : p.getAnniversaryMomentYear();
        }

        void setMark(CustomerProfile p, int year) {
            if (trigger == TriggerType.BIRTHDAY) {
                p.setBirthdayMomentYear(year);
            } else {
                p.setAnniversaryMomentYear(year);
            }
        }

        CustomerMoment moment(String customer, int year, long at) {
            String reason =
                    trigger == TriggerType.BIRTHDAY
                            ? "birthday on " + date(year)
                            : "signup anniversary ("
                                    + years(year - firstYear + 1)
                                    + ") on "
                                    + date(year);
            return CustomerMoment.newBuilder()
                    .setCustomerId(customer)
                    .setTrigger(trigger)
                    .setEventTime(at)
                    .setReason(reason)
                    .build();
        }

        private static String years(int n) {
            return n == 1 ? "1 year" : n + " years";
        }

        private static long millis(LocalDate date, ZoneId zone) {
            // atStartOfDay, not atTime(MIDNIGHT): where a DST change skips midnight it gives the
            // day's first valid instant.
            return date.atStartOfDay(zone).toInstant().toEpochMilli();
        }
    }
}
