package io.p13n.cli.campaign;

import io.p13n.cli.RedisOptions;
import io.p13n.cli.traffic.DurationConverter;
import io.p13n.jobs.offers.Campaigns;
import io.p13n.jobs.offers.VariantAssignment;
import io.p13n.jobs.offers.stats.ArmResult;
import io.p13n.jobs.offers.stats.Comparison;
import io.p13n.jobs.offers.stats.ExperimentReport;
import io.p13n.jobs.offers.stats.ExperimentStatistics;
import io.p13n.jobs.offers.stats.Interval;
import io.p13n.jobs.offers.stats.SampleRatioCheck;
import io.p13n.jobs.offers.stats.StatsHash;
import io.p13n.model.ArmStats;
import io.p13n.model.Audience;
import io.p13n.model.Budget;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.MessageChannel;
import io.p13n.model.Reward;
import io.p13n.model.RewardType;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import io.p13n.model.Variant;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code personalize campaign}: define marketing campaigns (published to the campaigns topic the
 * engine broadcasts to its offer stage), change their status, and read their results from Redis.
 */
@Command(
        name = "campaign",
        mixinStandardHelpOptions = true,
        description =
                "Create, list, pause, resume and end marketing campaigns; show their results.",
        subcommands = {
            CampaignCommand.Create.class,
            CampaignCommand.ListCampaigns.class,
            CampaignCommand.Pause.class,
            CampaignCommand.Resume.class,
            CampaignCommand.End.class,
            CampaignCommand.Stats.class
        })
public final class CampaignCommand implements Runnable {
    /**
     * Kafka or Redis unreachable, a topic that cannot be read: one line, exit code 1, no stack
     * trace.
     */
    static int failed(Exception e) {
        System.err.println("personalize campaign: " + e.getMessage());
        return 1;
    }

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    // ---- create ---------------------------------------------------------------------------------

    /** The discount: one of percent or amount off, or a message only. */
    static final class Discount {
        @Option(names = "--percent-off", description = "Percent off (0 < N <= 100).")
        Double percentOff;

        @Option(names = "--amount-off", description = "Amount off, in the major currency unit.")
        Double amountOff;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Validate a campaign and publish its version 1.")
    public static final class Create implements Callable<Integer> {
        @Mixin CampaignTopicOptions kafka;

        @Option(
                names = "--id",
                required = true,
                description = "Campaign id: letters, digits, '.', '_', '-'.")
        String id;

        @Option(names = "--name", description = "Display name (default: the id).")
        String name;

        @Option(
                names = "--trigger",
                required = true,
                description = "Moment: ${COMPLETION-CANDIDATES}.")
        TriggerType trigger;

        @Option(
                names = "--segment",
                description = "Audience segment (repeatable; none: every segment).")
        List<Segment> segments = new ArrayList<>();

        @Option(
                names = "--tier",
                description = "Audience loyalty tier (repeatable; none: every tier).")
        List<LoyaltyTier> tiers = new ArrayList<>();

        @Option(
                names = "--churn-risk",
                paramLabel = "MIN..MAX",
                description = "Churn risk range, e.g. 0.5..1 or ..0.3.")
        String churnRisk;

        @Option(
                names = "--category",
                paramLabel = "ID[:MIN_SCORE]",
                description =
                        "Customer's top categories must include this one, with at least this affinity score.")
        String category;

        @Option(
                names = "--cart-value",
                paramLabel = "MIN..MAX",
                description = "Open cart value range, e.g. 50.. or 20..100.")
        String cartValue;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Discount discount;

        @Option(
                names = "--message",
                description =
                        "Text shown with the offer; alone, the offer is a message without discount.")
        String message;

        @Option(
                names = "--min-spend",
                defaultValue = "0",
                description = "Minimum order total for the coupon (default: none).")
        double minSpend;

        @Option(
                names = "--validity",
                defaultValue = "14d",
                converter = DurationConverter.class,
                description = "Coupon validity in whole days (default: ${DEFAULT-VALUE}).")
        Duration validity;

        @Option(names = "--budget-total", description = "At most this many offers sent, in total.")
        Long budgetTotal;

        @Option(
                names = "--budget-daily",
                description = "At most this many offers sent per UTC day.")
        Long budgetDaily;

        @Option(
                names = "--cooldown",
                converter = DurationConverter.class,
                description =
                        "Days before a customer may get this campaign again (default: offers.default-cooldown).")
        Duration cooldown;

        @Option(
                names = "--starts",
                description =
                        "First day (UTC) or instant the campaign issues offers (default: immediately).")
        String starts;

        @Option(
                names = "--ends",
                description =
                        "Last day (UTC, inclusive) or instant (exclusive) (default: open-ended).")
        String ends;

        @Option(
                names = "--variant",
                paramLabel = "NAME:WEIGHT[:percent=N|amount=N]",
                description = "A/B arm (repeatable), e.g. A:50 --variant B:50:percent=15.")
        List<String> variants = new ArrayList<>();

        @Option(
                names = "--channel",
                defaultValue = "ONSITE",
                description =
                        "How its offers reach customers: EMAIL, SMS, PUSH or ONSITE (default: ${DEFAULT-VALUE}); none is sent without the customer's marketing consent for it.")
        MessageChannel channel;

        @Option(
                names = "--priority",
                defaultValue = "0",
                description =
                        "Higher wins when several campaigns match a moment (default: ${DEFAULT-VALUE}).")
        int priority;

        @Option(names = "--created-by", description = "Who asks (default: the OS user).")
        String createdBy;

        /**
         * The campaign the options describe (version 1, ACTIVE); throws on an unparseable value.
         */
        Campaign toCampaign(long now) {
            Audience.Builder audience = Audience.newBuilder().setSegments(segments).setTiers(tiers);
            if (churnRisk != null) {
                CampaignSpecs.Range r = CampaignSpecs.range("--churn-risk", churnRisk);
                audience.setMinChurnRisk(r.min()).setMaxChurnRisk(r.max());
            }
            if (cartValue != null) {
                CampaignSpecs.Range r = CampaignSpecs.range("--cart-value", cartValue);
                audience.setMinCartValue(r.min()).setMaxCartValue(r.max());
            }
            if (category != null) {
                CampaignSpecs.CategoryCondition c = CampaignSpecs.category(category);
                audience.setCategoryId(c.categoryId()).setMinCategoryScore(c.minScore());
            }
            Reward.Builder reward =
                    Reward.newBuilder()
                            .setMinSpend(minSpend)
                            .setValidityDays(CampaignSpecs.days("--validity", validity))
                            .setMessage(message);
            if (discount != null && discount.percentOff != null) {
                reward.setType(RewardType.PERCENT).setValue(discount.percentOff);
            } else if (discount != null && discount.amountOff != null) {
                reward.setType(RewardType.AMOUNT).setValue(discount.amountOff);
            } else if (message != null) {
                reward.setType(RewardType.MESSAGE).setValue(0);
            } else {
                throw new IllegalArgumentException(
                        "an offer needs --percent-off, --amount-off or --message");
            }
            Reward campaignReward = reward.build();
            List<Variant> arms = new ArrayList<>();
            for (String v : variants) {
                arms.add(CampaignSpecs.variant(v, campaignReward));
            }
            return Campaign.newBuilder()
                    .setId(id)
                    .setName(name == null ? id : name)
                    .setVersion(1)
                    .setStatus(CampaignStatus.ACTIVE)
                    .setPriority(priority)
                    .setTrigger(trigger)
                    .setChannel(channel)
                    .setStartsAt(
                            starts == null ? null : CampaignSpecs.time("--starts", starts, false))
                    .setEndsAt(ends == null ? null : CampaignSpecs.time("--ends", ends, true))
                    .setAudience(audience.build())
                    .setReward(campaignReward)
                    .setBudget(new Budget(budgetTotal, budgetDaily))
                    .setCooldownDays(
                            cooldown == null ? null : CampaignSpecs.days("--cooldown", cooldown))
                    .setVariants(arms)
                    .setCreatedBy(createdBy != null ? createdBy : System.getProperty("user.name"))
                    .setUpdatedAt(now)
                    .build();
        }

        /**
         * The campaign these options describe, checked as {@code create} checks it before
         * publishing: an option value that does not parse is one reason, else every problem {@link
         * Campaigns#validate} finds.
         */
        public Checked check(long now) {
            Campaign campaign;
            try {
                campaign = toCampaign(now);
            } catch (IllegalArgumentException e) {
                return new Checked(null, List.of(e.getMessage()));
            }
            return new Checked(campaign, Campaigns.validate(campaign, now));
        }

        /**
         * {@code create}'s options given as command-line arguments (e.g. {@code --id x --trigger
         * CART_ABANDONED --percent-off 10}), parsed and checked exactly as {@code personalize
         * campaign create} parses and checks them: the console's form goes through here, so its
         * refusals carry the same reasons.
         *
         * @param createdBy who asks, when the arguments do not say
         */
        public static Checked check(List<String> args, String createdBy, long now) {
            Create create = new Create();
            try {
                new picocli.CommandLine(create)
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .parseArgs(args.toArray(String[]::new));
            } catch (picocli.CommandLine.ParameterException e) {
                return new Checked(null, List.of(e.getMessage()));
            }
            if (create.createdBy == null) {
                create.createdBy = createdBy;
            }
            return create.check(now);
        }

        @Override
        public Integer call() {
            Checked checked = check(System.currentTimeMillis());
            if (checked.campaign() == null) {
                System.err.println("Refusing campaign '" + id + "': " + checked.problems().get(0));
                return 1;
            }
            if (!checked.problems().isEmpty()) {
                System.err.println("Refusing campaign '" + id + "':");
                checked.problems().forEach(p -> System.err.println("  - " + p));
                return 1;
            }
            CampaignTopic topic = kafka.campaignTopic();
            try {
                Outcome outcome = publishNew(topic, checked.campaign());
                (outcome.ok() ? System.out : System.err).println(outcome.message());
                return outcome.ok() ? 0 : 1;
            } catch (IOException | RuntimeException e) {
                return failed(e);
            }
        }
    }

    /**
     * A campaign as described, or null when an option did not parse; and why it is refused (empty:
     * it may be published).
     */
    public record Checked(Campaign campaign, List<String> problems) {
        public boolean accepted() {
            return campaign != null && problems.isEmpty();
        }
    }

    /** What a change to the campaigns topic came to, in the sentence the CLI prints. */
    public record Outcome(boolean ok, String message) {}

    /** Publishes version 1 of a new campaign; refused when the id is taken. */
    public static Outcome publishNew(CampaignTopic topic, Campaign campaign) throws IOException {
        String id = campaign.getId();
        Optional<Campaign> existing = topic.latest(id);
        if (existing.isPresent()) {
            return new Outcome(
                    false,
                    "Campaign '"
                            + id
                            + "' already exists (version "
                            + existing.get().getVersion()
                            + ", "
                            + existing.get().getStatus()
                            + "); choose another id.");
        }
        topic.publish(campaign);
        return new Outcome(
                true,
                "Created campaign '"
                        + id
                        + "' (version 1, ACTIVE) on "
                        + topic.name()
                        + ": "
                        + describe(campaign));
    }

    /** A campaign's offer in a phrase, e.g. "CART_ABANDONED, 10% off over 20, valid 7d". */
    public static String describe(Campaign c) {
        Reward r = c.getReward();
        String offer =
                switch (r.getType()) {
                    case PERCENT -> fmt(r.getValue()) + "% off";
                    case AMOUNT -> fmt(r.getValue()) + " off";
                    default -> "message";
                };
        if (r.getMinSpend() > 0) {
            offer += " over " + fmt(r.getMinSpend());
        }
        return c.getTrigger()
                + ", "
                + offer
                + ", valid "
                + r.getValidityDays()
                + "d"
                + (c.getVariants().isEmpty()
                        ? ""
                        : ", variants "
                                + c.getVariants().stream()
                                        .map(v -> v.getName() + ":" + v.getWeight())
                                        .collect(Collectors.joining(",")));
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    // ---- list -----------------------------------------------------------------------------------

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The latest version of every campaign on the topic.")
    public static final class ListCampaigns implements Callable<Integer> {
        @Mixin CampaignTopicOptions kafka;

        @Override
        public Integer call() {
            CampaignTopic topic = kafka.campaignTopic();
            Map<String, Campaign> campaigns;
            try {
                campaigns = topic.latest();
            } catch (IOException | RuntimeException e) {
                return failed(e);
            }
            if (campaigns.isEmpty()) {
                System.out.println("No campaigns on " + topic.name() + ".");
                return 0;
            }
            String format = "%-20s %-8s %3s %-20s %5s %-12s %-12s %s%n";
            System.out.printf(
                    format, "ID", "STATUS", "V", "TRIGGER", "PRIO", "STARTS", "ENDS", "OFFER");
            for (Campaign c : campaigns.values()) {
                System.out.printf(
                        format,
                        c.getId(),
                        c.getStatus(),
                        c.getVersion(),
                        c.getTrigger(),
                        c.getPriority(),
                        day(c.getStartsAt()),
                        day(c.getEndsAt()),
                        describe(c));
            }
            return 0;
        }

        private static String day(Long millis) {
            return millis == null ? "-" : Instant.ofEpochMilli(millis).toString().substring(0, 10);
        }
    }

    // ---- status changes -------------------------------------------------------------------------

    abstract static class StatusChange implements Callable<Integer> {
        @Mixin CampaignTopicOptions kafka;

        @Parameters(paramLabel = "CAMPAIGN_ID")
        String id;

        abstract CampaignStatus target();

        @Override
        public Integer call() {
            CampaignTopic topic = kafka.campaignTopic();
            try {
                return change(topic);
            } catch (IOException | RuntimeException e) {
                return failed(e);
            }
        }

        private int change(CampaignTopic topic) throws IOException {
            Outcome outcome = changeStatus(topic, id, target());
            (outcome.ok() ? System.out : System.err).println(outcome.message());
            return outcome.ok() ? 0 : 1;
        }
    }

    /**
     * Publishes the next version of campaign {@code id} with status {@code target} (pause, resume,
     * end); refused for an unknown or ended campaign, nothing published when it already has it.
     */
    public static Outcome changeStatus(CampaignTopic topic, String id, CampaignStatus target)
            throws IOException {
        Optional<Campaign> latest = topic.latest(id);
        if (latest.isEmpty()) {
            return new Outcome(false, "No campaign '" + id + "' on " + topic.name() + ".");
        }
        Campaign current = latest.get();
        if (current.getStatus() == CampaignStatus.ENDED) {
            return new Outcome(
                    false,
                    "Campaign '"
                            + id
                            + "' has ended (version "
                            + current.getVersion()
                            + "); an ended campaign cannot change. Create a new one.");
        }
        if (current.getStatus() == target) {
            return new Outcome(
                    true,
                    "Campaign '"
                            + id
                            + "' is already "
                            + target
                            + " (version "
                            + current.getVersion()
                            + ").");
        }
        Campaign next =
                Campaign.newBuilder(current)
                        .setVersion(current.getVersion() + 1)
                        .setStatus(target)
                        .setUpdatedAt(System.currentTimeMillis())
                        .build();
        topic.publish(next);
        return new Outcome(
                true,
                "Campaign '" + id + "' is now " + target + " (version " + next.getVersion() + ").");
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Stop issuing offers (resumable).")
    public static final class Pause extends StatusChange {
        @Override
        CampaignStatus target() {
            return CampaignStatus.PAUSED;
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Issue offers again after a pause.")
    public static final class Resume extends StatusChange {
        @Override
        CampaignStatus target() {
            return CampaignStatus.ACTIVE;
        }
    }

    @Command(
            name = "end",
            mixinStandardHelpOptions = true,
            description = "End the campaign for good (the engine forgets it).")
    public static final class End extends StatusChange {
        @Override
        CampaignStatus target() {
            return CampaignStatus.ENDED;
        }
    }

    // ---- stats ----------------------------------------------------------------------------------

    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description =
                    "A campaign's results per arm, from Redis: sent, held out, redeemed, converted, revenue, rates with 95 % intervals, lift over control with its interval, the always-valid p-value and the decision it supports, a sample-ratio-mismatch warning; and the moments suppressed for lack of marketing consent (in neither arm). With --global instead of an id: all marketing together against the global control group.")
    public static final class Stats implements Callable<Integer> {
        /**
         * --redis-host/--redis-port/--key-prefix or --config, exactly as {@code show} takes them.
         */
        @Mixin RedisOptions redis;

        @Parameters(paramLabel = "CAMPAIGN_ID", arity = "0..1")
        String id;

        @Option(
                names = "--global",
                description =
                        "The global control group's report instead of one campaign's: customers"
                                + " sent an offer (any campaign) against those held out of every"
                                + " campaign (offers.global-control.share).")
        boolean global;

        @Override
        public Integer call() {
            if (global == (id != null)) {
                System.err.println("Give a CAMPAIGN_ID or --global (one of them).");
                return 2;
            }
            // A Redis that refuses or cannot be reached is one line naming it (exit code 1).
            return redis.read(
                    (client, keys) -> {
                        String key = global ? keys.globalControlStats() : keys.campaignStats(id);
                        Map<String, String> hash = client.hgetAll(key);
                        if (hash.isEmpty()) {
                            System.err.println(
                                    (global
                                                    ? "No global control report"
                                                    : "No stats for campaign '" + id + "'")
                                            + " (key "
                                            + key
                                            + "): no offer issued yet, or expired.");
                            return 1;
                        }
                        System.out.print(global ? globalReport(hash) : report(id, hash));
                        return 0;
                    });
        }
    }

    /** The stats hash's campaign-level count of moments stopped for lack of marketing consent. */
    static final String SUPPRESSED_FOR_CONSENT = "suppressedForConsent";

    /** Arm totals parsed from the stats hash, and the report printed from them. */
    public record Arm(
            String name, long sent, long heldOut, long redeemed, long converted, double revenue) {}

    /** True for the control arm: its customers were held out, not sent the offer. */
    public static boolean isControl(Arm arm) {
        return arm.name().equals(VariantAssignment.CONTROL_ARM);
    }

    /** The arms of a campaign's stats hash ({@code ARM.sent}, ...), by name. */
    public static List<Arm> arms(Map<String, String> hash) {
        Map<String, Map<String, String>> byArm = new TreeMap<>();
        hash.forEach(
                (field, value) -> {
                    int dot = field.lastIndexOf('.');
                    if (dot > 0) {
                        byArm.computeIfAbsent(field.substring(0, dot), a -> new TreeMap<>())
                                .put(field.substring(dot + 1), value);
                    }
                });
        List<Arm> arms = new ArrayList<>();
        byArm.forEach(
                (name, f) ->
                        arms.add(
                                new Arm(
                                        name,
                                        num(f, "sent"),
                                        num(f, "heldOut"),
                                        num(f, "redeemed"),
                                        num(f, "converted"),
                                        Double.parseDouble(f.getOrDefault("revenue", "0")))));
        return arms;
    }

    private static long num(Map<String, String> f, String name) {
        return Long.parseLong(f.getOrDefault(name, "0"));
    }

    /** What {@code campaign stats} prints for a stats hash. */
    public static String report(String id, Map<String, String> hash) {
        List<Arm> arms = arms(hash);
        StringBuilder out = new StringBuilder();
        out.append("Campaign ")
                .append(id)
                .append("   (updated ")
                .append(hash.getOrDefault("updatedAt", "?"))
                .append(")\n");
        String format = "%-12s %8s %9s %9s %10s %12s %11s %11s%n";
        out.append(
                String.format(
                        format,
                        "ARM",
                        "SENT",
                        "HELD OUT",
                        "REDEEMED",
                        "CONVERTED",
                        "REVENUE",
                        "REDEMPTION",
                        "CONVERSION"));
        long treatedSent = 0;
        long treatedConverted = 0;
        long controlHeld = 0;
        long controlConverted = 0;
        for (Arm a : arms) {
            boolean control = ExperimentStatistics.isControl(a.name());
            long exposed = control ? a.heldOut() : a.sent();
            out.append(
                    String.format(
                            format,
                            a.name(),
                            a.sent(),
                            a.heldOut(),
                            a.redeemed(),
                            a.converted(),
                            String.format("%.2f", a.revenue()),
                            control ? "-" : rate(a.redeemed(), a.sent()),
                            rate(a.converted(), exposed)));
            if (a.name().equals(VariantAssignment.CONTROL_ARM)) {
                controlHeld += a.heldOut();
                controlConverted += a.converted();
            } else if (!control) {
                treatedSent += a.sent();
                treatedConverted += a.converted();
            }
        }
        out.append(
                String.format(
                        "treated conversion %s (%d/%d), control %s (%d/%d), lift %s%n",
                        rate(treatedConverted, treatedSent),
                        treatedConverted,
                        treatedSent,
                        rate(controlConverted, controlHeld),
                        controlConverted,
                        controlHeld,
                        lift(treatedConverted, treatedSent, controlConverted, controlHeld)));
        // Campaign-level: consent is checked before the control split, so these are in no arm.
        out.append(
                String.format(
                        "suppressed for consent %s (no marketing consent for the campaign's channel;"
                                + " in neither arm)%n",
                        hash.getOrDefault(SUPPRESSED_FOR_CONSENT, "not recorded")));
        statistics(out, hash, VariantAssignment.CONTROL_ARM);
        return out.toString();
    }

    /**
     * The global control group's report: customers sent an offer by any campaign ("treated")
     * against those held out of every campaign, and what all marketing together adds.
     */
    static String globalReport(Map<String, String> hash) {
        StringBuilder out = new StringBuilder();
        out.append("All campaigns against the global control group   (updated ")
                .append(hash.getOrDefault("updatedAt", "?"))
                .append(")\n");
        ExperimentStatistics statistics = new ExperimentStatistics();
        List<ArmStats> arms = StatsHash.arms(hash);
        ArmStats treated = find(arms, VariantAssignment.TREATED_ARM);
        ArmStats held = find(arms, VariantAssignment.GLOBAL_CONTROL_ARM);
        statistics(out, hash, VariantAssignment.GLOBAL_CONTROL_ARM);
        if (treated != null && held != null) {
            long n = ExperimentStatistics.exposed(treated);
            ExperimentReport report = statistics.report(arms, VariantAssignment.GLOBAL_CONTROL_ARM);
            Interval pt = report.arm(VariantAssignment.TREATED_ARM).conversionRate();
            Interval pg = report.arm(VariantAssignment.GLOBAL_CONTROL_ARM).conversionRate();
            Interval revenue = report.comparison(VariantAssignment.TREATED_ARM).revenueDifference();
            if (pt.defined() && pg.defined()) {
                // what the treated customers did beyond what they would have done without offers,
                // estimated from the held-out customers' rate
                out.append(
                        String.format(
                                Locale.ROOT,
                                "incremental: about %.0f conversions and %s revenue from %d offers sent"
                                        + " (beyond the global control group's rates)%n",
                                (pt.estimate() - pg.estimate()) * n,
                                revenue.defined()
                                        ? String.format(
                                                Locale.ROOT,
                                                "%.2f%s",
                                                revenue.estimate() * n,
                                                revenue.bounded()
                                                        ? String.format(
                                                                Locale.ROOT,
                                                                " [%.2f, %.2f]",
                                                                revenue.lower() * n,
                                                                revenue.upper() * n)
                                                        : "")
                                        : "n/a",
                                n));
            }
        }
        return out.toString();
    }

    private static ArmStats find(List<ArmStats> arms, String name) {
        for (ArmStats a : arms) {
            if (a.getArm().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /**
     * The intervals, each variant against {@code controlArm} and the sample-ratio check, computed
     * from the hash's totals exactly as the engine computes the fields it writes beside them.
     */
    private static void statistics(StringBuilder out, Map<String, String> hash, String controlArm) {
        ExperimentStatistics statistics = new ExperimentStatistics();
        ExperimentReport report = statistics.report(StatsHash.arms(hash), controlArm);
        String level = Math.round(statistics.confidence() * 100) + " %";
        out.append("rates with ").append(level).append(" intervals:\n");
        for (ArmResult a : report.arms()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  %-14s conversion %s   redemption %s   revenue/customer %s%n",
                            a.arm(),
                            percentInterval(a.conversionRate()),
                            percentInterval(a.redemptionRate()),
                            moneyInterval(a.revenuePerExposed())));
        }
        for (Comparison c : report.comparisons()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%s vs %s: lift %s, always-valid p %s%n  -> %s%n",
                            c.arm(),
                            c.controlArm(),
                            liftInterval(c.lift()),
                            c.alwaysValidPValue() >= 0.001
                                    ? String.format(Locale.ROOT, "%.4f", c.alwaysValidPValue())
                                    : String.format(Locale.ROOT, "%.1e", c.alwaysValidPValue()),
                            c.verdict()));
        }
        SampleRatioCheck srm = report.sampleRatio();
        if (srm.flagged()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "WARNING: sample ratio mismatch (p = %.1e < 0.001): the arms' sizes are not"
                                    + " what the control share and variant weights make them. Do not"
                                    + " trust the numbers above until the cause is found (README,"
                                    + " Reading a campaign's results).%n",
                            srm.pValue()));
        } else if (srm.checked()) {
            out.append(
                    String.format(
                            Locale.ROOT, "sample ratio as designed (p = %.3f)%n", srm.pValue()));
        }
    }

    private static String percentInterval(Interval i) {
        if (!i.defined()) {
            return "n/a";
        }
        return String.format(
                Locale.ROOT,
                "%.1f%% [%.1f%%, %.1f%%]",
                100 * i.estimate(),
                100 * i.lower(),
                100 * i.upper());
    }

    private static String liftInterval(Interval i) {
        if (!i.defined()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.1f%%", 100 * i.estimate())
                + (i.bounded()
                        ? String.format(
                                Locale.ROOT,
                                " [%+.1f%%, %+.1f%%]",
                                100 * i.lower(),
                                100 * i.upper())
                        : "");
    }

    private static String moneyInterval(Interval i) {
        if (!i.defined()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", i.estimate())
                + (i.bounded()
                        ? String.format(Locale.ROOT, " [%.2f, %.2f]", i.lower(), i.upper())
                        : "");
    }

    public static String rate(long part, long whole) {
        return whole == 0 ? "n/a" : String.format("%.1f%%", 100.0 * part / whole);
    }

    /** Relative lift of the treated conversion rate over the control's. */
    public static String lift(
            long treatedConverted, long treatedSent, long controlConverted, long controlHeld) {
        if (treatedSent == 0 || controlHeld == 0 || controlConverted == 0) {
            return "n/a";
        }
        double treated = (double) treatedConverted / treatedSent;
        double control = (double) controlConverted / controlHeld;
        return String.format("%+.1f%%", 100 * (treated / control - 1));
    }
}
