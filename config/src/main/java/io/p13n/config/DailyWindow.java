package io.p13n.config;

import java.io.Serializable;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A window of local time repeated every day, {@code HH:mm-HH:mm}: from {@code start} (inclusive) to
 * {@code end} (exclusive), wrapping midnight when the end is not after the start ({@code
 * 21:00-08:00} is the night). Start and end differ: an equal pair could mean "never" or "always",
 * and neither should be written that way.
 *
 * <p>Only local times: which zone they are read in, and what happens on a day whose clock jumps, is
 * up to the user of the window.
 */
public record DailyWindow(LocalTime start, LocalTime end) implements Serializable {
    private static final Pattern FORM =
            Pattern.compile("\\s*(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})\\s*");
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("H:mm").withResolverStyle(ResolverStyle.STRICT); // no 24:00

    public DailyWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.equals(end)) {
            throw new IllegalArgumentException("start and end must differ, both were " + start);
        }
        if (start.getSecond() != 0 || start.getNano() != 0) {
            throw new IllegalArgumentException("start must be a whole minute: " + start);
        }
        if (end.getSecond() != 0 || end.getNano() != 0) {
            throw new IllegalArgumentException("end must be a whole minute: " + end);
        }
    }

    /**
     * {@code HH:mm-HH:mm} (hours 0..23, one or two digits; spaces around the dash allowed).
     *
     * @throws IllegalArgumentException when it is not such a window
     */
    public static DailyWindow parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not HH:mm-HH:mm: " + text);
        }
        try {
            return new DailyWindow(
                    LocalTime.parse(m.group(1), HH_MM), LocalTime.parse(m.group(2), HH_MM));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not HH:mm-HH:mm: " + text, e);
        }
    }

    /** Whether the window runs past midnight (its end is on the next day). */
    public boolean wrapsMidnight() {
        return !end.isAfter(start);
    }

    /** Whether a local time of day is inside the window. */
    public boolean contains(LocalTime time) {
        if (wrapsMidnight()) {
            return !time.isBefore(start) || time.isBefore(end);
        }
        return !time.isBefore(start) && time.isBefore(end);
    }

    /** The text {@link #parse} reads back, {@code 21:00-08:00}. */
    @Override
    public String toString() {
        return String.format(
                "%02d:%02d-%02d:%02d",
                start.getHour(), start.getMinute(), end.getHour(), end.getMinute());
    }
}
