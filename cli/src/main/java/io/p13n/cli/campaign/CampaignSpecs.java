package io.p13n.cli.campaign;

import io.p13n.model.Reward;
import io.p13n.model.RewardType;
import io.p13n.model.Variant;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parsing of the campaign command's compact option values; errors say what was expected. */
final class CampaignSpecs {
    private CampaignSpecs() {}

    /** {@code MIN..MAX}, {@code MIN..} or {@code ..MAX}: null for an open end. */
    record Range(Double min, Double max) {}

    static Range range(String option, String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            throw new IllegalArgumentException(
                    option + " '" + text + "': expected MIN..MAX, MIN.. or ..MAX (e.g. 0.5..1)");
        }
        return new Range(
                number(option, text.substring(0, dots), true),
                number(option, text.substring(dots + 2), true));
    }

    /** {@code CATEGORY[:MIN_SCORE]}. */
    record CategoryCondition(String categoryId, double minScore) {}

    static CategoryCondition category(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new CategoryCondition(text, 0);
        }
        return new CategoryCondition(
                text.substring(0, colon), number("--category", text.substring(colon + 1), false));
    }

    /**
     * {@code NAME:WEIGHT[:percent=N|amount=N]}: the variant's reward is the campaign's with another
     * discount.
     */
    static Variant variant(String text, Reward campaignReward) {
        String[] parts = text.split(":", 3);
        if (parts.length < 2 || parts[0].isBlank()) {
            throw new IllegalArgumentException(
                    "--variant '"
                            + text
                            + "': expected NAME:WEIGHT[:percent=N|amount=N] (e.g. B:50:percent=15)");
        }
        int weight;
        try {
            weight = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--variant '" + text + "': weight '" + parts[1] + "' is not a whole number");
        }
        Reward reward = null;
        if (parts.length == 3) {
            String[] kv = parts[2].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException(
                        "--variant '"
                                + text
                                + "': expected percent=N or amount=N after the weight");
            }
            RewardType type =
                    switch (kv[0].trim().toLowerCase()) {
                        case "percent" -> RewardType.PERCENT;
                        case "amount" -> RewardType.AMOUNT;
                        default ->
                                throw new IllegalArgumentException(
                                        "--variant '"
                                                + text
                                                + "': '"
                                                + kv[0]
                                                + "' is not percent or amount");
                    };
            reward =
                    Reward.newBuilder(campaignReward)
                            .setType(type)
                            .setValue(number("--variant", kv[1], false))
                            .build();
        }
        return new Variant(parts[0].trim(), weight, reward);
    }

    /**
     * A date (UTC; start of the day, or with {@code endOfDay} the start of the next) or an ISO
     * instant.
     */
    static long time(String option, String text, boolean endOfDay) {
        try {
            LocalDate date = LocalDate.parse(text.trim());
            return (endOfDay ? date.plusDays(1) : date)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(text.trim()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        option
                                + " '"
                                + text
                                + "': expected a date (2026-12-01) or an instant (2026-12-01T09:00:00Z)");
            }
        }
    }

    /** A whole number of days. */
    static int days(String option, Duration duration) {
        if (duration.isNegative() || duration.toMillis() % Duration.ofDays(1).toMillis() != 0) {
            throw new IllegalArgumentException(
                    option + " must be a whole number of days (e.g. 14d), was " + duration);
        }
        return (int) duration.toDays();
    }

    private static Double number(String option, String text, boolean blankIsNull) {
        if (text.isBlank()) {
            if (blankIsNull) {
                return null;
            }
            throw new IllegalArgumentException(option + ": a number is missing");
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a number");
        }
    }
}
