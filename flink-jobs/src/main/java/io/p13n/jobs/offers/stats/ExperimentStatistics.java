package io.p13n.jobs.offers.stats;

import io.p13n.jobs.offers.VariantAssignment;
import io.p13n.model.ArmStats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * The statistics of a campaign's experiment, from its running totals per arm ({@link ArmStats}):
 * pure functions of the totals, so the engine (writing the stats hash), the CLI and the console
 * compute the same numbers from the same counts.
 *
 * <p>The unit is a decision: a customer at one moment, sent an offer (a variant arm) or held out (a
 * control arm). {@code exposed = sent + heldOut} (an arm has one or the other). A customer who gets
 * the same campaign twice (after its cooldown) counts twice; the tests treat decisions as
 * independent, which slightly understates the variance when many customers repeat.
 *
 * <ul>
 *   <li><b>Rates</b>: conversion = converted / exposed, redemption = redeemed / sent, each with a
 *       Wilson score interval (commons-math {@link WilsonScoreInterval}; Newcombe 1998, method 3):
 *       unlike the textbook p ± z·se it stays inside [0, 1] and keeps its coverage at 0 or a few
 *       conversions.
 *   <li><b>Revenue per exposed customer</b>: mean ± t(n-1)·s/√n, s from the per-decision sum of
 *       squares ({@code revenueSquares}); revenue is skewed, so the interval is a large-sample one.
 *   <li><b>Lift</b> of a variant over control, variant rate / control rate - 1, with the
 *       delta-method interval of the log ratio (Katz et al. 1978): se(log RR) = √(1/x_v - 1/n_v +
 *       1/x_c - 1/n_c). Chosen over Newcombe's interval for the difference because marketers read
 *       lift in relative terms; it needs at least one conversion in each arm.
 *   <li><b>Sequential test</b>: the mixture SPRT of Johari, Pekelis and Walsh ("Always valid
 *       inference", 2017/2022) for the difference of two conversion rates, in its normal
 *       approximation: θ̂ = p_v - p_c with variance V = p_v(1-p_v)/n_v + p_c(1-p_c)/n_c, and a
 *       normal mixing distribution N(0, τ²) over the true difference, give the likelihood ratio Λ =
 *       √(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²))). Under "no difference" Λ is a martingale, so
 *       by Ville's inequality P(Λ ever ≥ 1/α) ≤ α: the p-value 1/Λ may be looked at after every
 *       event, hourly, or whenever, and acting when it first drops below α keeps the false-positive
 *       rate at α. It is reported at the current totals (the running minimum of Johari et al. would
 *       never be larger; keeping it would make the number depend on when it was computed, not only
 *       on the totals). For the variance each arm's rate is taken as (x + 0.5) / (n + 1), so an arm
 *       without conversions does not claim a variance of zero. τ² ({@link
 *       #DEFAULT_MIXING_VARIANCE}) is the prior spread of true differences the test is tuned for;
 *       it is a constructor argument.
 *   <li><b>"About N more customers per arm"</b>: the fixed-horizon size per arm of a two-sided
 *       two-proportion z-test with the given power at the rates observed now (Chow, Shao and Wang,
 *       Sample Size Calculations in Clinical Research, 4.2): n = (z_{1-α/2} + z_{power})² (p_c q_c
 *       + p_v q_v) / (p_v - p_c)², minus the smaller arm's size. An approximation: the sequential
 *       test needs somewhat more than a fixed-horizon one, and the rates it starts from are noisy.
 *   <li><b>Sample-ratio mismatch</b>: chi-squared goodness of fit (commons-math {@link
 *       ChiSquareTest}) of the exposed counts against each arm's expected share of decisions
 *       ({@code expectedShare}, from the control shares and the variant weights), renormalised over
 *       the arms present. Flagged below {@link #DEFAULT_SRM_THRESHOLD}: the threshold used in
 *       practice (Fabijan et al., "Diagnosing sample ratio mismatch", KDD 2019), low because the
 *       check runs continuously on every campaign and a false alarm stops an experiment.
 * </ul>
 */
public final class ExperimentStatistics implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_CONFIDENCE = 0.95;

    /**
     * τ² of the mSPRT mixing distribution: τ = 0.02, true differences of conversion rates of a few
     * percentage points (retention offers convert at 5-30 %, and a lift of 10-20 % of that is what
     * a campaign hopes for). A larger τ² detects large differences sooner and small ones later.
     */
    public static final double DEFAULT_MIXING_VARIANCE = 0.02 * 0.02;

    public static final double DEFAULT_POWER = 0.8;
    public static final double DEFAULT_SRM_THRESHOLD = 0.001;

    private final double confidence;
    private final double mixingVariance;
    private final double power;
    private final double srmThreshold;

    /** 95 % intervals and test, τ² = {@value #DEFAULT_MIXING_VARIANCE}, 80 % power, SRM 0.001. */
    public ExperimentStatistics() {
        this(DEFAULT_CONFIDENCE, DEFAULT_MIXING_VARIANCE, DEFAULT_POWER, DEFAULT_SRM_THRESHOLD);
    }

    public ExperimentStatistics(
            double confidence, double mixingVariance, double power, double srmThreshold) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
        }
        if (!(mixingVariance > 0) || Double.isInfinite(mixingVariance)) {
            throw new IllegalArgumentException(
                    "mixing variance must be positive, was " + mixingVariance);
        }
        if (!(power > 0 && power < 1)) {
            throw new IllegalArgumentException("power must be in (0, 1), was " + power);
        }
        if (!(srmThreshold > 0 && srmThreshold < 1)) {
            throw new IllegalArgumentException(
                    "SRM threshold must be in (0, 1), was " + srmThreshold);
        }
        this.confidence = confidence;
        this.mixingVariance = mixingVariance;
        this.power = power;
        this.srmThreshold = srmThreshold;
    }

    public double confidence() {
        return confidence;
    }

    public double mixingVariance() {
        return mixingVariance;
    }

    /**
     * A campaign's report: every arm, every variant against {@value VariantAssignment#CONTROL_ARM},
     * and the sample-ratio check.
     */
    public ExperimentReport report(List<ArmStats> arms) {
        return report(arms, VariantAssignment.CONTROL_ARM);
    }

    /**
     * The report with {@code controlArm} as the baseline; every arm that is not a control arm
     * ({@value VariantAssignment#CONTROL_ARM}, {@value VariantAssignment#GLOBAL_CONTROL_ARM}) is
     * compared with it.
     */
    public ExperimentReport report(List<ArmStats> arms, String controlArm) {
        List<ArmResult> results = new ArrayList<>(arms.size());
        ArmStats control = null;
        for (ArmStats a : arms) {
            results.add(arm(a));
            if (a.getArm().equals(controlArm)) {
                control = a;
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (ArmStats a : arms) {
            if (!isControl(a.getArm()) && !a.getArm().equals(controlArm)) {
                comparisons.add(compare(control, a, controlArm));
            }
        }
        return new ExperimentReport(results, comparisons, sampleRatio(arms));
    }

    /** Whether the arm holds customers held out (of a campaign, or of all of them). */
    public static boolean isControl(String arm) {
        return VariantAssignment.CONTROL_ARM.equals(arm)
                || VariantAssignment.GLOBAL_CONTROL_ARM.equals(arm);
    }

    /** Customers in the arm: sent (a variant) or held out (a control arm). */
    public static long exposed(ArmStats a) {
        return a.getSent() + a.getHeldOut();
    }

    public ArmResult arm(ArmStats a) {
        long exposed = exposed(a);
        return new ArmResult(
                a.getArm(),
                exposed,
                a.getConverted(),
                rate(a.getConverted(), exposed),
                rate(a.getRedeemed(), a.getSent()),
                mean(exposed, a.getRevenue(), a.getRevenueSquares()));
    }

    /**
     * {@code variant} against {@code control} (null: no control customers yet).
     *
     * @param controlArm the control's name, for the verdict
     */
    public Comparison compare(ArmStats control, ArmStats variant, String controlArm) {
        long nv = exposed(variant);
        long nc = control == null ? 0 : exposed(control);
        long xv = variant.getConverted();
        long xc = control == null ? 0 : control.getConverted();
        Interval lift = lift(xc, nc, xv, nv);
        Interval revenue =
                control == null
                        ? Interval.UNDEFINED
                        : meanDifference(
                                nc,
                                control.getRevenue(),
                                control.getRevenueSquares(),
                                nv,
                                variant.getRevenue(),
                                variant.getRevenueSquares());
        double p = alwaysValidPValue(xc, nc, xv, nv);
        String who = label(variant.getArm());
        String against = controlLabel(controlArm);
        if (p < 1 - confidence) {
            boolean better = (double) xv / nv > (double) xc / nc;
            return new Comparison(
                    variant.getArm(),
                    controlArm,
                    lift,
                    revenue,
                    p,
                    better ? Decision.BETTER : Decision.WORSE,
                    0,
                    who
                            + (better ? " better than " : " worse than ")
                            + against
                            + " ("
                            + percent(confidence)
                            + ")");
        }
        long more;
        String why;
        if (nc == 0) {
            more = -1;
            why = "no customers in " + against + " yet";
        } else if (nv == 0) {
            more = -1;
            why = "no customers in " + who + " yet";
        } else {
            long needed = perArmNeeded((double) xc / nc, (double) xv / nv);
            if (needed < 0) {
                more = -1;
                why = "no difference between the arms so far";
            } else {
                more = Math.max(0, needed - Math.min(nc, nv));
                why =
                        more > 0
                                ? "about " + more + " more customers per arm needed"
                                : "the difference so far is too small to tell from noise";
            }
        }
        return new Comparison(
                variant.getArm(),
                controlArm,
                lift,
                revenue,
                p,
                Decision.NOT_ENOUGH_DATA,
                more,
                "not enough data yet: " + why);
    }

    /** A proportion with its Wilson score interval; undefined for no trials. */
    public Interval rate(long successes, long trials) {
        if (trials <= 0) {
            return Interval.UNDEFINED;
        }
        if (successes < 0 || successes > trials) {
            throw new IllegalArgumentException(successes + " successes of " + trials + " trials");
        }
        if (trials > Integer.MAX_VALUE) {
            // commons-math takes ints; the normal approximation is exact enough at this size
            double p = (double) successes / trials;
            double half = z() * Math.sqrt(p * (1 - p) / trials);
            return new Interval(p, Math.max(0, p - half), Math.min(1, p + half));
        }
        var ci =
                new WilsonScoreInterval().createInterval((int) trials, (int) successes, confidence);
        return new Interval((double) successes / trials, ci.getLowerBound(), ci.getUpperBound());
    }

    /**
     * The mean of {@code n} values from their sum and sum of squares, with a Student-t interval
     * (lower bound not below 0: the values, revenue, are never negative); no bounds for n &lt; 2 or
     * without a sum of squares.
     */
    public Interval mean(long n, double sum, double sumOfSquares) {
        if (n <= 0) {
            return Interval.UNDEFINED;
        }
        double mean = sum / n;
        if (n < 2 || unknownSquares(sum, sumOfSquares)) {
            return new Interval(mean, Double.NaN, Double.NaN);
        }
        double half =
                new TDistribution(null, n - 1)
                                .inverseCumulativeProbability(1 - (1 - confidence) / 2)
                        * Math.sqrt(variance(n, sum, sumOfSquares) / n);
        return new Interval(mean, Math.max(0, mean - half), mean + half);
    }

    /**
     * Revenue without its sum of squares: totals from before it was recorded. Real values with a
     * positive sum have positive squares, so the spread is unknown, not zero.
     */
    private static boolean unknownSquares(double sum, double sumOfSquares) {
        return sum > 0 && sumOfSquares <= 0;
    }

    /** The sample variance from a sum and a sum of squares (0 for fewer than two values). */
    static double variance(long n, double sum, double sumOfSquares) {
        if (n < 2) {
            return 0;
        }
        // Rounding can take a constant sample's value a hair below zero.
        return Math.max(0, (sumOfSquares - sum * sum / n) / (n - 1));
    }

    /** Difference of two means (second minus first), normal interval with unequal variances. */
    public Interval meanDifference(
            long n1, double sum1, double squares1, long n2, double sum2, double squares2) {
        if (n1 <= 0 || n2 <= 0) {
            return Interval.UNDEFINED;
        }
        double difference = sum2 / n2 - sum1 / n1;
        if (n1 < 2 || n2 < 2 || unknownSquares(sum1, squares1) || unknownSquares(sum2, squares2)) {
            return new Interval(difference, Double.NaN, Double.NaN);
        }
        double se =
                Math.sqrt(variance(n1, sum1, squares1) / n1 + variance(n2, sum2, squares2) / n2);
        return new Interval(difference, difference - z() * se, difference + z() * se);
    }

    /**
     * Relative lift of the variant's conversion rate over the control's, p_v / p_c - 1, with the
     * delta-method interval of log(p_v / p_c). Undefined without control conversions; without
     * variant conversions the estimate is -100 % and there are no bounds.
     */
    public Interval lift(long controlConverted, long controlExposed, long converted, long exposed) {
        if (controlExposed <= 0 || exposed <= 0 || controlConverted <= 0) {
            return Interval.UNDEFINED;
        }
        double ratio =
                ((double) converted / exposed) / ((double) controlConverted / controlExposed);
        if (converted <= 0) {
            return new Interval(ratio - 1, Double.NaN, Double.NaN);
        }
        double se =
                Math.sqrt(
                        1.0 / converted
                                - 1.0 / exposed
                                + 1.0 / controlConverted
                                - 1.0 / controlExposed);
        double log = Math.log(ratio);
        return new Interval(ratio - 1, Math.exp(log - z() * se) - 1, Math.exp(log + z() * se) - 1);
    }

    /**
     * The mixture likelihood ratio Λ of "the rates differ" against "they are equal", in logs (it
     * can be astronomically large). 0 (Λ = 1) when an arm is empty.
     */
    public double logMixtureLikelihoodRatio(
            long controlConverted, long controlExposed, long converted, long exposed) {
        if (controlExposed <= 0 || exposed <= 0) {
            return 0;
        }
        double difference =
                (double) converted / exposed - (double) controlConverted / controlExposed;
        double v =
                varianceOfRate(converted, exposed)
                        + varianceOfRate(controlConverted, controlExposed);
        return logMixtureLikelihoodRatio(difference, v, mixingVariance);
    }

    /** log Λ for an estimate {@code difference} with variance {@code v} and mixing variance τ². */
    static double logMixtureLikelihoodRatio(double difference, double v, double tau2) {
        return 0.5 * Math.log(v / (v + tau2))
                + tau2 * difference * difference / (2 * v * (v + tau2));
    }

    /** Var(x/n) with the rate taken as (x + 0.5) / (n + 1): never 0. */
    private static double varianceOfRate(long x, long n) {
        double p = (x + 0.5) / (n + 1);
        return p * (1 - p) / n;
    }

    /** min(1, 1 / Λ): the always-valid p-value of "the two conversion rates are equal". */
    public double alwaysValidPValue(
            long controlConverted, long controlExposed, long converted, long exposed) {
        double log =
                logMixtureLikelihoodRatio(controlConverted, controlExposed, converted, exposed);
        return log <= 0 ? 1 : Math.exp(-log);
    }

    /**
     * Customers per arm a fixed-horizon two-sided test at this confidence needs for the given power
     * to tell {@code p1} from {@code p2}; -1 when they are equal.
     */
    public long perArmNeeded(double p1, double p2) {
        double delta = p2 - p1;
        if (delta == 0 || Double.isNaN(delta)) {
            return -1;
        }
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        double za = normal.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double zb = normal.inverseCumulativeProbability(power);
        double n = (za + zb) * (za + zb) * (p1 * (1 - p1) + p2 * (1 - p2)) / (delta * delta);
        return (long) Math.ceil(n - 1e-9);
    }

    /**
     * Chi-squared goodness of fit of the arms' sizes to their expected shares, renormalised over
     * the arms present. Not checked when an arm with customers has no known share (totals from
     * before shares were recorded), or fewer than two arms, or no customers.
     */
    public SampleRatioCheck sampleRatio(List<ArmStats> arms) {
        List<ArmStats> known = new ArrayList<>(arms.size());
        long total = 0;
        for (ArmStats a : arms) {
            if (a.getExpectedShare() > 0) {
                known.add(a);
                total += exposed(a);
            } else if (exposed(a) > 0) {
                return SampleRatioCheck.NOT_CHECKED;
            }
        }
        if (known.size() < 2 || total == 0) {
            return SampleRatioCheck.NOT_CHECKED;
        }
        double[] expected = new double[known.size()];
        long[] observed = new long[known.size()];
        double shares = 0;
        for (ArmStats a : known) {
            shares += a.getExpectedShare();
        }
        for (int i = 0; i < known.size(); i++) {
            expected[i] = known.get(i).getExpectedShare() / shares * total;
            observed[i] = exposed(known.get(i));
        }
        ChiSquareTest test = new ChiSquareTest();
        double statistic = test.chiSquare(expected, observed);
        double p = test.chiSquareTest(expected, observed);
        return new SampleRatioCheck(statistic, p, p < srmThreshold);
    }

    private double z() {
        return new NormalDistribution(null, 0, 1)
                .inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    private static String label(String arm) {
        return VariantAssignment.TREATED_ARM.equals(arm) ? "treated customers" : "variant " + arm;
    }

    private static String controlLabel(String arm) {
        return VariantAssignment.GLOBAL_CONTROL_ARM.equals(arm) ? "the global control group" : arm;
    }

    /** 0.95 as "95 %", 0.995 as "99.5 %". */
    static String percent(double share) {
        return java.math.BigDecimal.valueOf(share)
                        .movePointRight(2)
                        .stripTrailingZeros()
                        .toPlainString()
                + " %";
    }
}
