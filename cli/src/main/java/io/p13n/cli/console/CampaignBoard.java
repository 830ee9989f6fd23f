package io.p13n.cli.console;

import io.p13n.cli.campaign.CampaignCommand;
import io.p13n.cli.campaign.CampaignTopic;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.MessageChannel;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Campaigns page's backend: the campaigns on the campaigns topic with their headline results
 * from Redis, and creating and changing them through the very code {@code personalize campaign}
 * runs ({@link CampaignCommand.Create#check}, {@link CampaignCommand#publishNew}, {@link
 * CampaignCommand#changeStatus}), so the page refuses what the CLI refuses, with the same reasons.
 */
final class CampaignBoard {
    /**
     * The form's fields and the {@code campaign create} option each becomes. Only these are passed
     * on: a field name can never smuggle in another option.
     */
    static final Map<String, String> FORM_OPTIONS = new LinkedHashMap<>();

    static {
        FORM_OPTIONS.put("id", "--id");
        FORM_OPTIONS.put("name", "--name");
        FORM_OPTIONS.put("trigger", "--trigger");
        FORM_OPTIONS.put("segment", "--segment");
        FORM_OPTIONS.put("tier", "--tier");
        FORM_OPTIONS.put("churnRisk", "--churn-risk");
        FORM_OPTIONS.put("category", "--category");
        FORM_OPTIONS.put("cartValue", "--cart-value");
        FORM_OPTIONS.put("percentOff", "--percent-off");
        FORM_OPTIONS.put("amountOff", "--amount-off");
        FORM_OPTIONS.put("message", "--message");
        FORM_OPTIONS.put("minSpend", "--min-spend");
        FORM_OPTIONS.put("validity", "--validity");
        FORM_OPTIONS.put("budgetTotal", "--budget-total");
        FORM_OPTIONS.put("budgetDaily", "--budget-daily");
        FORM_OPTIONS.put("cooldown", "--cooldown");
        FORM_OPTIONS.put("starts", "--starts");
        FORM_OPTIONS.put("ends", "--ends");
        FORM_OPTIONS.put("variant", "--variant");
        FORM_OPTIONS.put("channel", "--channel");
        FORM_OPTIONS.put("priority", "--priority");
    }

    /** A campaign in the list: its definition in a phrase and its headline results. */
    record Row(
            String id,
            String name,
            String status,
            long version,
            String trigger,
            String channel,
            int priority,
            String offer,
            String startsAt,
            String endsAt,
            String createdBy,
            Headline results) {}

    /**
     * Sent (treated arms), held out (control), their conversions and the CLI's rates and lift; null
     * fields when there are no stats yet.
     */
    record Headline(
            long sent,
            long heldOut,
            long treatedConverted,
            long controlConverted,
            String treatedConversion,
            String controlConversion,
            String lift) {}

    /** The result of a create or a status change: accepted or not, and why, in the CLI's words. */
    record Result(boolean ok, String message, List<String> problems) {}

    private final CampaignTopic topic;
    private final UnifiedJedis redis;
    private final RedisKeys keys;

    CampaignBoard(CampaignTopic topic, UnifiedJedis redis, RedisKeys keys) {
        this.topic = topic;
        this.redis = redis;
        this.keys = keys;
    }

    /** The choices of the form's lists, from the model's own enums. */
    static Map<String, List<String>> choices() {
        Map<String, List<String>> choices = new LinkedHashMap<>();
        choices.put("trigger", names(TriggerType.values(), "UNKNOWN"));
        choices.put("segment", names(Segment.values(), "UNKNOWN"));
        choices.put("tier", names(LoyaltyTier.values(), "UNKNOWN"));
        choices.put("channel", names(MessageChannel.values(), "UNKNOWN"));
        return choices;
    }

    private static List<String> names(Enum<?>[] values, String skip) {
        return Arrays.stream(values).map(Enum::name).filter(n -> !n.equals(skip)).toList();
    }

    List<Row> list() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Campaign c : topic.latest().values()) {
            rows.add(
                    new Row(
                            c.getId(),
                            c.getName(),
                            c.getStatus().name(),
                            c.getVersion(),
                            c.getTrigger().name(),
                            c.getChannel() == null ? null : c.getChannel().name(),
                            c.getPriority(),
                            CampaignCommand.describe(c),
                            time(c.getStartsAt()),
                            time(c.getEndsAt()),
                            c.getCreatedBy(),
                            headline(redis.hgetAll(keys.campaignStats(c.getId())))));
        }
        return rows;
    }

    /** The headline of a stats hash, computed by the CLI's own parsing ({@code campaign stats}). */
    static Headline headline(Map<String, String> hash) {
        if (hash.isEmpty()) {
            return null;
        }
        long sent = 0;
        long heldOut = 0;
        long treatedConverted = 0;
        long controlConverted = 0;
        for (CampaignCommand.Arm arm : CampaignCommand.arms(hash)) {
            if (CampaignCommand.isControl(arm)) {
                heldOut += arm.heldOut();
                controlConverted += arm.converted();
            } else {
                sent += arm.sent();
                treatedConverted += arm.converted();
            }
        }
        return new Headline(
                sent,
                heldOut,
                treatedConverted,
                controlConverted,
                CampaignCommand.rate(treatedConverted, sent),
                CampaignCommand.rate(controlConverted, heldOut),
                CampaignCommand.lift(treatedConverted, sent, controlConverted, heldOut));
    }

    /**
     * Creates a campaign from the form: its fields become {@code campaign create} options, parsed
     * and checked by that command's code, and published as it publishes.
     *
     * @param form field name to its values (repeatable fields such as segment have several)
     * @param user who asks, recorded as the campaign's creator
     */
    Result create(Map<String, List<String>> form, String user) throws IOException {
        List<String> args = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        form.forEach(
                (field, values) -> {
                    String option = FORM_OPTIONS.get(field);
                    if (option == null) {
                        unknown.add(field);
                        return;
                    }
                    for (String value : values) {
                        if (value != null && !value.isBlank()) {
                            // One argument "--opt=value": a value starting with '-' stays a value.
                            args.add(option + "=" + value.strip());
                        }
                    }
                });
        if (!unknown.isEmpty()) {
            return new Result(false, "Unknown form fields: " + unknown, List.of());
        }
        CampaignCommand.Checked checked =
                CampaignCommand.Create.check(args, user, System.currentTimeMillis());
        String id = form.getOrDefault("id", List.of("")).stream().findFirst().orElse("");
        if (!checked.accepted()) {
            return new Result(false, "Refusing campaign '" + id + "':", checked.problems());
        }
        CampaignCommand.Outcome outcome = CampaignCommand.publishNew(topic, checked.campaign());
        return new Result(outcome.ok(), outcome.message(), List.of());
    }

    /** Pauses, resumes or ends a campaign, as {@code campaign pause|resume|end} does. */
    Result changeStatus(String id, CampaignStatus target) throws IOException {
        CampaignCommand.Outcome outcome = CampaignCommand.changeStatus(topic, id, target);
        return new Result(outcome.ok(), outcome.message(), List.of());
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
