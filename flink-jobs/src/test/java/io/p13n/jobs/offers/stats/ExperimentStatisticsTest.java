package io.p13n.jobs.offers.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.model.ArmStats;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * The numbers checked against published worked examples (Newcombe 1998, Mendel's peas, Chow, Shao
 * and Wang) or an independent computation (a numeric integral of the mixture likelihood ratio, the
 * Student-t and Katz intervals as scipy computes them), plus the edge cases.
 */
class ExperimentStatisticsTest {
    private final ExperimentStatistics stats = new ExperimentStatistics();

    private static ArmStats variant(String name, long sent, long converted) {
        return new ArmStats(name, sent, 0L, 0L, converted, 0.0, 0.0, 0.0);
    }

    private static ArmStats control(long heldOut, long converted) {
        return new ArmStats("control", 0L, heldOut, 0L, converted, 0.0, 0.0, 0.0);
    }

    private static ArmStats shared(String name, long sent, double share) {
        return new ArmStats(name, sent, 0L, 0L, 0L, 0.0, 0.0, share);
    }

    @Test
    void wilsonIntervalsMatchNewcombe1998TableI() {
        // Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
        // methods", Stat Med 1998; Table I, method 3 (score interval without continuity correction)
        long[][] cases = {{81, 263}, {15, 148}, {0, 20}, {1, 29}, {29, 29}, {0, 10}};
        double[][] published = {
            {0.2553, 0.3662}, {0.0624, 0.1605}, {0.0, 0.1611},
            {0.0061, 0.1718}, {0.8830, 1.0}, {0.0, 0.2775}
        };
        for (int i = 0; i < cases.length; i++) {
            Interval ci = stats.rate(cases[i][0], cases[i][1]);
            assertThat(ci.estimate()).isEqualTo((double) cases[i][0] / cases[i][1]);
            assertThat(ci.lower()).as("%s", cases[i][0]).isCloseTo(published[i][0], within(5e-5));
            assertThat(ci.upper()).as("%s", cases[i][0]).isCloseTo(published[i][1], within(5e-5));
        }
    }

    @Test
    void aRateOfNothingIsUndefined() {
        assertThat(stats.rate(0, 0).defined()).isFalse();
        assertThat(stats.rate(0, 0)).isEqualTo(Interval.UNDEFINED);
    }

    @Test
    void sampleRatioCheckMatchesMendelsPeas() {
        // The textbook chi-squared goodness-of-fit example: Mendel's 556 dihybrid peas against
        // 9:3:3:1, chi-squared 0.470 on 3 df, p = 0.925.
        SampleRatioCheck srm =
                stats.sampleRatio(
                        List.of(
                                shared("round-yellow", 315, 9 / 16.0),
                                shared("round-green", 108, 3 / 16.0),
                                shared("wrinkled-yellow", 101, 3 / 16.0),
                                shared("wrinkled-green", 32, 1 / 16.0)));

        assertThat(srm.chiSquare()).isCloseTo(0.4700, within(5e-5));
        assertThat(srm.pValue()).isCloseTo(0.9254, within(5e-5));
        assertThat(srm.flagged()).isFalse();
    }

    @Test
    void sampleRatioMismatchIsFlaggedBelowOneInAThousand() {
        // 50/50 by design: 5000 vs 5300 is p = 0.003 (suspicious, not flagged), 5000 vs 5400 is
        // chi-squared 15.38, p = 8.8e-5 (flagged)
        SampleRatioCheck close =
                stats.sampleRatio(List.of(shared("A", 5000, 0.5), shared("B", 5300, 0.5)));
        SampleRatioCheck broken =
                stats.sampleRatio(List.of(shared("A", 5000, 0.5), shared("B", 5400, 0.5)));

        assertThat(close.pValue()).isCloseTo(0.00312, within(1e-5));
        assertThat(close.flagged()).isFalse();
        assertThat(broken.chiSquare()).isCloseTo(15.3846, within(1e-4));
        assertThat(broken.pValue()).isCloseTo(8.78e-5, within(1e-6));
        assertThat(broken.flagged()).isTrue();
    }

    @Test
    void sampleRatioSharesAreRenormalisedOverTheArmsPresent() {
        // a campaign's arms by design: global control 5 %, control 9.5 %, two variants 42.75 %
        // each; without the global control arm the others still compare 9.5 : 42.75 : 42.75
        SampleRatioCheck srm =
                stats.sampleRatio(
                        List.of(
                                new ArmStats("control", 0L, 95L, 0L, 0L, 0.0, 0.0, 0.095),
                                shared("A", 428, 0.4275),
                                shared("B", 427, 0.4275)));

        assertThat(srm.checked()).isTrue();
        assertThat(srm.chiSquare()).isCloseTo(0.0, within(0.01));
    }

    @Test
    void sampleRatioIsNotCheckedWithoutKnownSharesOrWithOneArm() {
        assertThat(stats.sampleRatio(List.of(variant("A", 10, 1), control(10, 1))).checked())
                .as("totals from before shares were recorded")
                .isFalse();
        assertThat(stats.sampleRatio(List.of(shared("A", 10, 1.0))).checked()).isFalse();
        assertThat(stats.sampleRatio(List.of(shared("A", 0, 0.5), shared("B", 0, 0.5))).checked())
                .as("no customers")
                .isFalse();
    }

    @Test
    void revenuePerCustomerHasAStudentTIntervalFromTheSumOfSquares() {
        // twelve customers, four of whom bought: scipy's t interval is [-4.1197, 33.7430] around
        // 14.8117; revenue is never negative, so the lower bound is 0
        double[] revenue = {0, 0, 0, 25.5, 0, 40, 0, 0, 12.25, 0, 0, 99.99};
        double sum = 0;
        double squares = 0;
        for (double r : revenue) {
            sum += r;
            squares += r * r;
        }
        Interval ci = stats.mean(revenue.length, sum, squares);

        assertThat(ci.estimate()).isCloseTo(14.811667, within(1e-6));
        assertThat(ci.lower()).isEqualTo(0.0);
        assertThat(ci.upper()).isCloseTo(33.743015, within(1e-6));
        assertThat(stats.mean(1, 20, 400).bounded()).as("one customer: no spread").isFalse();
        assertThat(stats.mean(10, 150, 0).bounded())
                .as("totals from before the squares were recorded: spread unknown")
                .isFalse();
        assertThat(stats.mean(0, 0, 0).defined()).isFalse();
    }

    @Test
    void liftIntervalIsTheDeltaMethodOnTheLogRatio() {
        // 4 % vs 6 %: lift +50 %, Katz interval exp(log 1.5 +- 1.96 * sqrt(1/60 - 1/1000 + 1/40 -
        // 1/1000)) - 1 = [+1.52 %, +121.63 %] (computed independently with scipy)
        Interval lift = stats.lift(40, 1000, 60, 1000);

        assertThat(lift.estimate()).isCloseTo(0.5, within(1e-12));
        assertThat(lift.lower()).isCloseTo(0.015224, within(1e-6));
        assertThat(lift.upper()).isCloseTo(1.216260, within(1e-6));
        assertThat(stats.lift(0, 1000, 60, 1000).defined()).as("no control conversion").isFalse();
        Interval none = stats.lift(40, 1000, 0, 1000);
        assertThat(none.estimate()).isEqualTo(-1.0);
        assertThat(none.bounded()).isFalse();
    }

    @Test
    void mixtureLikelihoodRatioEqualsTheIntegralItIsDefinedBy() {
        // Lambda = integral over theta of N(d; theta, V) / N(d; 0, V) * N(theta; 0, tau^2), done
        // here numerically (trapezoid over [-1, 1], where a difference of two rates lives)
        double tau2 = ExperimentStatistics.DEFAULT_MIXING_VARIANCE;
        long[][] cases = {{100, 2000, 130, 2000}, {50, 400, 48, 410}, {0, 30, 3, 30}};
        for (long[] c : cases) {
            double pc = (double) c[0] / c[1];
            double pv = (double) c[2] / c[3];
            double qc = (c[0] + 0.5) / (c[1] + 1);
            double qv = (c[2] + 0.5) / (c[3] + 1);
            double v = qc * (1 - qc) / c[1] + qv * (1 - qv) / c[3];
            double d = pv - pc;
            NormalDistribution prior = new NormalDistribution(null, 0, Math.sqrt(tau2));
            int steps = 400_000;
            double h = 2.0 / steps;
            double integral = 0;
            for (int i = 0; i <= steps; i++) {
                double theta = -1 + i * h;
                double ratio = Math.exp((2 * theta * d - theta * theta) / (2 * v));
                double f = ratio * prior.density(theta);
                integral += (i == 0 || i == steps) ? f / 2 : f;
            }
            integral *= h;

            double log = stats.logMixtureLikelihoodRatio(c[0], c[1], c[2], c[3]);
            assertThat(Math.exp(log))
                    .as("%s", List.of(c[0], c[1], c[2], c[3]))
                    .isCloseTo(integral, within(1e-6 * integral));
            assertThat(stats.alwaysValidPValue(c[0], c[1], c[2], c[3]))
                    .isEqualTo(Math.min(1, 1 / integral), within(1e-6));
        }
    }

    @Test
    void alwaysValidPValueKeepsItsErrorRateWhenCheckedAfterEveryHundredCustomers() {
        // 300 A/A tests (both arms convert at 10 %), looked at after every 100 customers per arm up
        // to 10,000: a fixed-horizon z-test looked at that often "finds" a difference in far more
        // than 5 % of them; the always-valid p-value, by Ville's inequality, in at most 5 %.
        // Seeded, so the same every run.
        Random random = new Random(12);
        int tests = 300;
        int naive = 0;
        int sequential = 0;
        for (int t = 0; t < tests; t++) {
            long xc = 0;
            long xv = 0;
            boolean naiveHit = false;
            boolean sequentialHit = false;
            for (int n = 1; n <= 10_000; n++) {
                xc += random.nextDouble() < 0.1 ? 1 : 0;
                xv += random.nextDouble() < 0.1 ? 1 : 0;
                if (n % 100 == 0) {
                    double pc = (double) xc / n;
                    double pv = (double) xv / n;
                    double se = Math.sqrt(pc * (1 - pc) / n + pv * (1 - pv) / n);
                    naiveHit |= se > 0 && Math.abs(pv - pc) / se > 1.959964;
                    sequentialHit |= stats.alwaysValidPValue(xc, n, xv, n) < 0.05;
                }
            }
            naive += naiveHit ? 1 : 0;
            sequential += sequentialHit ? 1 : 0;
        }
        assertThat((double) naive / tests).as("peeking at a fixed-horizon test").isGreaterThan(0.2);
        assertThat((double) sequential / tests)
                .as("the always-valid p-value")
                .isLessThanOrEqualTo(0.05);
    }

    @Test
    void fixedHorizonSizeMatchesChowShaoWang() {
        // Chow, Shao and Wang, Sample Size Calculations in Clinical Research, 4.2 (two-sample test
        // for equality of proportions): 65 % vs 85 %, alpha 5 % two-sided, 80 % power: 70 per arm
        assertThat(stats.perArmNeeded(0.65, 0.85)).isEqualTo(70);
        assertThat(stats.perArmNeeded(0.1, 0.1)).isEqualTo(-1);
    }

    @Test
    void aClearWinnerIsCalledBetterAndAClearLoserWorse() {
        ExperimentReport better =
                stats.report(List.of(variant("B", 2000, 180), control(2000, 100)));
        ExperimentReport worse = stats.report(List.of(variant("B", 2000, 100), control(2000, 180)));

        Comparison b = better.comparison("B");
        assertThat(b.decision()).isEqualTo(Decision.BETTER);
        assertThat(b.verdict()).isEqualTo("variant B better than control (95 %)");
        assertThat(b.alwaysValidPValue()).isLessThan(0.05);
        assertThat(b.lift().above(0)).isTrue();
        Comparison w = worse.comparison("B");
        assertThat(w.decision()).isEqualTo(Decision.WORSE);
        assertThat(w.verdict()).isEqualTo("variant B worse than control (95 %)");
    }

    @Test
    void tooLittleDataSaysAboutHowManyMoreCustomersPerArm() {
        Comparison c =
                stats.report(List.of(variant("B", 200, 12), control(200, 10))).comparison("B");

        assertThat(c.decision()).isEqualTo(Decision.NOT_ENOUGH_DATA);
        long needed = stats.perArmNeeded(0.05, 0.06);
        assertThat(needed).isGreaterThan(7000);
        assertThat(c.morePerArm()).isEqualTo(needed - 200);
        assertThat(c.verdict())
                .isEqualTo(
                        "not enough data yet: about "
                                + (needed - 200)
                                + " more customers per arm needed");
    }

    @Test
    void edgeCasesGiveUndefinedNumbersAndNoVerdictInsteadOfFailing() {
        // nothing at all
        ExperimentReport empty = stats.report(List.of());
        assertThat(empty.arms()).isEmpty();
        assertThat(empty.comparisons()).isEmpty();
        assertThat(empty.sampleRatio().checked()).isFalse();

        // control only: no comparison
        ExperimentReport controlOnly = stats.report(List.of(control(50, 5)));
        assertThat(controlOnly.comparisons()).isEmpty();
        assertThat(controlOnly.arm("control").conversionRate().estimate()).isEqualTo(0.1);
        assertThat(controlOnly.arm("control").redemptionRate().defined())
                .as("control is sent nothing to redeem")
                .isFalse();

        // no control yet
        Comparison noControl = stats.report(List.of(variant("A", 30, 3))).comparison("A");
        assertThat(noControl.decision()).isEqualTo(Decision.NOT_ENOUGH_DATA);
        assertThat(noControl.morePerArm()).isEqualTo(-1);
        assertThat(noControl.verdict())
                .isEqualTo("not enough data yet: no customers in control yet");
        assertThat(noControl.alwaysValidPValue()).isEqualTo(1.0);
        assertThat(noControl.lift().defined()).isFalse();

        // no conversions anywhere
        Comparison none =
                stats.report(List.of(variant("A", 500, 0), control(500, 0))).comparison("A");
        assertThat(none.decision()).isEqualTo(Decision.NOT_ENOUGH_DATA);
        assertThat(none.lift().defined()).isFalse();
        assertThat(none.alwaysValidPValue()).isEqualTo(1.0);
        assertThat(none.verdict())
                .isEqualTo("not enough data yet: no difference between the arms so far");

        // an arm with nobody yet
        Comparison emptyArm =
                stats.report(List.of(variant("A", 0, 0), control(40, 4))).comparison("A");
        assertThat(emptyArm.verdict())
                .isEqualTo("not enough data yet: no customers in variant A yet");
    }

    @Test
    void theGlobalReportComparesTreatedCustomersWithTheGlobalControlGroup() {
        ExperimentReport global =
                stats.report(
                        List.of(
                                new ArmStats("global-control", 0L, 2000L, 0L, 100L, 0.0, 0.0, 0.05),
                                new ArmStats("treated", 2000L, 0L, 0L, 180L, 0.0, 0.0, 0.855)),
                        "global-control");

        assertThat(global.comparisons()).hasSize(1);
        assertThat(global.comparison("treated").verdict())
                .isEqualTo("treated customers better than the global control group (95 %)");
        assertThat(global.sampleRatio().flagged())
                .as("equal counts against a 5 : 85.5 design")
                .isTrue();
    }

    @Test
    void percentagesReadAsPeopleWriteThem() {
        assertThat(ExperimentStatistics.percent(0.95)).isEqualTo("95 %");
        assertThat(ExperimentStatistics.percent(0.995)).isEqualTo("99.5 %");
    }
}
