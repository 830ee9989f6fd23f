package io.p13n.jobs.offers;

import io.p13n.config.DailyWindow;
import io.p13n.model.MessageChannel;
import io.p13n.model.OfferDecision;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When an offer may reach the customer: each messaging channel's quiet hours ({@code
 * offers.quiet-hours.*}), read in the customer's own time zone, or {@code
 * customers.default-time-zone} for a customer who stated none. An offer decided inside its
 * channel's window is delivered when the window ends; {@link MessageChannel#ONSITE} is never held
 * (the storefront shows it while the customer is there, which is not a disturbance).
 *
 * <p>Pure and deterministic: the same decision time, channel and zone always give the same delivery
 * time, so a decision replayed after a failure is held until the same instant.
 *
 * <p>Days whose clock jumps (daylight saving time) are read as the customer's wall clock reads
 * them: a window ending at a local time the clock skips (02:30 on a spring-forward night) opens at
 * the jump, when the clock first shows a later time; a window ending at a local time the clock
 * shows twice (01:30 on a fall-back night) opens the first time it shows it after the decision.
 */
public final class QuietHours implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EnumMap<MessageChannel, DailyWindow> windows;
    private final ZoneId defaultZone;

    /**
     * @param windows the quiet hours of the channels that have any (EMAIL, SMS, PUSH)
     * @param defaultZone the zone of customers who stated none
     */
    public QuietHours(Map<MessageChannel, DailyWindow> windows, ZoneId defaultZone) {
        this.defaultZone = Objects.requireNonNull(defaultZone, "defaultZone");
        this.windows = new EnumMap<>(MessageChannel.class);
        for (Map.Entry<MessageChannel, DailyWindow> e : windows.entrySet()) {
            MessageChannel channel = Objects.requireNonNull(e.getKey(), "channel");
            if (channel == MessageChannel.ONSITE || channel == MessageChannel.UNKNOWN) {
                throw new IllegalArgumentException(
                        "only EMAIL, SMS and PUSH have quiet hours, not " + channel);
            }
            this.windows.put(channel, Objects.requireNonNull(e.getValue(), "window"));
        }
    }

    /** No channel has quiet hours: every offer goes out at once. */
    public static QuietHours none() {
        return new QuietHours(Map.of(), ZoneId.of("UTC"));
    }

    /** The channel's quiet hours, if it has any. */
    public Optional<DailyWindow> window(MessageChannel channel) {
        return Optional.ofNullable(windows.get(channel));
    }

    /** Whether any channel has quiet hours. */
    public boolean any() {
        return !windows.isEmpty();
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    /**
     * The customer's zone: their stated IANA id, or the default when they stated none (or an id
     * this JVM does not know, e.g. one from a newer tz database than its own: better the default
     * than no delivery).
     */
    public ZoneId zoneOf(String customerZone) {
        if (customerZone == null || customerZone.isBlank()) {
            return defaultZone;
        }
        try {
            return ZoneId.of(customerZone.trim());
        } catch (DateTimeException e) {
            return defaultZone;
        }
    }

    /**
     * When an offer decided at {@code at} (epoch millis) on {@code channel} reaches a customer in
     * {@code customerZone} (nullable): {@code at} itself outside the channel's quiet hours, else
     * the end of the window it falls in (always later than {@code at}).
     */
    public long deliverAt(MessageChannel channel, long at, String customerZone) {
        DailyWindow window = channel == null ? null : windows.get(channel);
        if (window == null) {
            return at;
        }
        return windowEnd(window, at, zoneOf(customerZone));
    }

    /**
     * Sets when {@code decision} (outcome and channel decided) is delivered to a customer in {@code
     * customerZone}: in quiet hours, {@code deliverAt} becomes the end of the window and {@code
     * expiresAt} moves by as much (the validity counts from delivery); otherwise nothing changes
     * ({@code deliverAt} 0: at once).
     */
    public void schedule(OfferDecision decision, String customerZone) {
        long at = decision.getIssuedAt();
        long deliver = deliverAt(decision.getChannel(), at, customerZone);
        if (deliver > at) {
            decision.setDeliverAt(deliver);
            decision.setExpiresAt(decision.getExpiresAt() + (deliver - at));
        }
    }

    /**
     * When the decision reaches (reached) the customer: its {@code deliverAt} when held for quiet
     * hours, else when it was decided. Attribution of orders counts from here, in both arms.
     */
    public static long deliveredAt(OfferDecision decision) {
        return Math.max(decision.getIssuedAt(), decision.getDeliverAt());
    }

    /**
     * The end of the occurrence of {@code window} in {@code zone} that contains the instant {@code
     * at}; {@code at} itself when no occurrence contains it.
     */
    static long windowEnd(DailyWindow window, long at, ZoneId zone) {
        ZonedDateTime now = Instant.ofEpochMilli(at).atZone(zone);
        LocalTime time = now.toLocalTime();
        if (!window.contains(time)) {
            return at;
        }
        LocalDate endDay = now.toLocalDate();
        if (window.wrapsMidnight() && !time.isBefore(window.start())) {
            endDay = endDay.plusDays(1); // evening part of a night window: it ends tomorrow
        }
        LocalDateTime end = LocalDateTime.of(endDay, window.end());
        ZoneOffsetTransition jump = zone.getRules().getTransition(end);
        long opens;
        if (jump != null && jump.isGap()) {
            // The clock never shows the end: the window is over when the clock jumps past it.
            opens = jump.getInstant().toEpochMilli();
        } else {
            // Shown twice (fall-back): prefer the offset in force now, i.e. the next occurrence.
            opens = ZonedDateTime.ofLocal(end, zone, now.getOffset()).toInstant().toEpochMilli();
        }
        // Never before the decision (the offset preference above cannot pick an earlier one
        // unless the zone's rules are odd; delivering at once is the safe answer then).
        return Math.max(opens, at);
    }
}
