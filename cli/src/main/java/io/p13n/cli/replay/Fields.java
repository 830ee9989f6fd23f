package io.p13n.cli.replay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Checked conversions of data set fields, failing with a reason that names the field. */
final class Fields {
    private Fields() {}

    static String[] split(String line, String separator, int expected, String names)
            throws MalformedLineException {
        String[] fields = line.split(separator, -1);
        if (fields.length != expected) {
            throw new MalformedLineException(
                    "expected " + expected + " fields (" + names + "), found " + fields.length);
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].trim();
        }
        return fields;
    }

    static String token(String value, String name) throws MalformedLineException {
        if (value.isEmpty()) {
            throw new MalformedLineException(name + " is empty");
        }
        return value;
    }

    static long nonNegativeLong(String value, String name) throws MalformedLineException {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below, together with negative values.
        }
        throw new MalformedLineException(
                name + " '" + value + "' is not a non-negative whole number");
    }

    static double nonNegativeDouble(String value, String name) throws MalformedLineException {
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below, together with negative and infinite values.
        }
        throw new MalformedLineException(name + " '" + value + "' is not a non-negative number");
    }

    /** Unix seconds, possibly with a fraction (session-rec writes milliseconds as decimals). */
    static Instant epochSeconds(String value, String name) throws MalformedLineException {
        try {
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() >= 0) {
                return Instant.ofEpochMilli(
                        seconds.movePointRight(3)
                                .setScale(0, RoundingMode.HALF_UP)
                                .longValueExact());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // Reported below, together with negative values.
        }
        throw new MalformedLineException(
                name + " '" + value + "' is not a non-negative number of Unix seconds");
    }

    static Instant isoInstant(String value, String name) throws MalformedLineException {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedLineException(
                    name
                            + " '"
                            + value
                            + "' is not an ISO-8601 instant such as 2014-04-07T10:51:09.277Z");
        }
    }

    /** A date at 00:00 UTC, in the given pattern. */
    static Instant dateAtMidnightUtc(String value, DateTimeFormatter format, String name)
            throws MalformedLineException {
        try {
            return LocalDate.parse(value, format).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedLineException(name + " '" + value + "' is not a date");
        }
    }
}
