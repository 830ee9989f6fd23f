package io.p13n.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The model's formulas against values that do not come from the same code: the published CDNOW
 * log-likelihood, the values of Hardie's BG/NBD spreadsheet for the CDNOW parameters (the same
 * reference numbers the Python {@code lifetimes} package tests against), numerical integration of
 * the model's definition, and simulation of its generative process.
 */
class BgNbdModelTest {
    private static final BgNbdModel CDNOW = new BgNbdModel(BgNbdParameters.PUBLISHED_CDNOW);

    @Test
    void publishedParametersHaveThePublishedLogLikelihoodOnTheCdnowSummary() throws IOException {
        List<BgNbdFitter.Observation> customers = CdnowData.summaryObservations();
        double total = 0;
        for (BgNbdFitter.Observation c : customers) {
            total += CDNOW.logLikelihood(c.x(), c.tx(), c.T());
        }
        // -9582.4 (paper, 5.1); parameters rounded to 3 decimals move it by less than 0.05
        assertThat(total).isCloseTo(-9582.4, within(0.1));
        assertThat(BgNbdFitter.logLikelihood(BgNbdParameters.PUBLISHED_CDNOW, customers))
                .isCloseTo(total, within(1e-6));
    }

    /**
     * The likelihood written out with Commons Math's Beta and Gamma functions, straight from
     * equation 6.
     */
    @Test
    void logLikelihoodMatchesEquationSixWrittenWithBetaFunctions() {
        BgNbdParameters p = BgNbdParameters.PUBLISHED_CDNOW;
        double r = p.r();
        double alpha = p.alpha();
        double a = p.a();
        double b = p.b();
        for (int x : new int[] {0, 1, 2, 7, 40, 500, 20_000}) {
            double tx = x == 0 ? 0 : 20.0;
            double T = 38.86;
            double logNbd = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha);
            double logAlive =
                    Beta.logBeta(a, b + x) - Beta.logBeta(a, b) - (r + x) * Math.log(alpha + T);
            double logDead =
                    x == 0
                            ? Double.NEGATIVE_INFINITY
                            : Beta.logBeta(a + 1, b + x - 1)
                                    - Beta.logBeta(a, b)
                                    - (r + x) * Math.log(alpha + tx);
            double actual = CDNOW.logLikelihood(x, tx, T);
            if (x <= 40) { // beyond that the direct form underflows: what log space is for
                double direct =
                        Math.log(Math.exp(logNbd) * (Math.exp(logAlive) + Math.exp(logDead)));
                assertThat(actual)
                        .as("x=%d", x)
                        .isCloseTo(direct, within(1e-10 * Math.abs(direct)));
            }
            double max = Math.max(logAlive, logDead);
            double expected =
                    logNbd + max + Math.log(Math.exp(logAlive - max) + Math.exp(logDead - max));
            assertThat(actual)
                    .as("x=%d", x)
                    .isCloseTo(expected, within(1e-10 * Math.abs(expected)));
        }
    }

    /**
     * Values of Hardie's BG/NBD spreadsheet for the CDNOW maximum-likelihood estimates (the
     * reference numbers of lifetimes' test suite). They need the unrounded estimates: with the
     * 3-decimal published values E[X(31.86)] is 0.0015 higher. The estimates below are this
     * fitter's on the summary csv, the same as lifetimes' to the 4 decimals it reports (0.2426,
     * 4.4136, 0.7929, 2.4259).
     */
    @Test
    void unconditionalExpectationMatchesHardiesSpreadsheet() {
        BgNbdModel mle = new BgNbdModel(new BgNbdParameters(0.242593, 4.41353, 0.792902, 2.425819));
        double[] weeks = {0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00};
        double[] expected = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
        for (int i = 0; i < weeks.length; i++) {
            assertThat(mle.expectedPurchasesNewCustomer(weeks[i]))
                    .as("E[X(%s)]", weeks[i])
                    .isCloseTo(expected[i], within(5e-4));
        }
    }

    @Test
    void conditionalExpectationMatchesHardiesSpreadsheet() {
        // customer 1 of the sample, 39 weeks ahead
        assertThat(CDNOW.expectedPurchases(39, 2, 30.43, 38.86)).isCloseTo(1.226, within(1e-3));
    }

    /**
     * Equation 10 as printed, with the hypergeometric series, where it is safe to evaluate
     * directly.
     */
    @Test
    void conditionalExpectationMatchesEquationTenAsPrinted() {
        BgNbdParameters p = BgNbdParameters.PUBLISHED_CDNOW;
        double[][] customers = {
            {0, 0, 38.86}, {2, 30.43, 38.86}, {1, 1.71, 38.86}, {5, 20, 30}, {30, 36, 38}, {0, 0, 0}
        };
        for (double[] c : customers) {
            int x = (int) c[0];
            double tx = c[1];
            double T = c[2];
            for (double t : new double[] {0.5, 10, 39, 52, 104}) {
                double z = t / (p.alpha() + T + t);
                double f = Hypergeometric.hyp2f1(p.r() + x, p.b() + x, p.a() + p.b() + x - 1, z);
                double numerator =
                        (p.a() + p.b() + x - 1)
                                / (p.a() - 1)
                                * (1
                                        - Math.pow((p.alpha() + T) / (p.alpha() + T + t), p.r() + x)
                                                * f);
                double denominator =
                        1
                                + (x > 0
                                        ? p.a()
                                                / (p.b() + x - 1)
                                                * Math.pow(
                                                        (p.alpha() + T) / (p.alpha() + tx),
                                                        p.r() + x)
                                        : 0);
                double expected = numerator / denominator;
                assertThat(CDNOW.expectedPurchases(t, x, tx, T))
                        .as("x=%d tx=%s T=%s t=%s", x, tx, T, t)
                        .isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
            }
        }
        for (double t : new double[] {1, 39, 78}) {
            double z = t / (p.alpha() + t);
            double expected =
                    (p.a() + p.b() - 1)
                            / (p.a() - 1)
                            * (1
                                    - Math.pow(p.alpha() / (p.alpha() + t), p.r())
                                            * Hypergeometric.hyp2f1(
                                                    p.r(), p.b(), p.a() + p.b() - 1, z));
            assertThat(CDNOW.expectedPurchasesNewCustomer(t))
                    .isCloseTo(expected, within(1e-12 * expected));
        }
    }

    /**
     * From the definition: given alive, lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x), and a
     * live customer buys E[Y(t) | lambda, p] = (1 - e^(-lambda p t)) / p in the next t; integrating
     * lambda out leaves one integral over p, done numerically here. Covers large x and a = 1
     * exactly.
     */
    @Test
    void expectationsMatchNumericalIntegrationOfTheModelDefinition() {
        BgNbdParameters[] parameterSets = {
            BgNbdParameters.PUBLISHED_CDNOW,
            new BgNbdParameters(1.2, 0.7, 1.0, 3.0), // a = 1: the printed formula divides by zero
            new BgNbdParameters(2.0, 15.0, 4.5, 1.5),
        };
        double[][] customers = {{0, 0, 0}, {0, 0, 20}, {3, 12, 39}, {60, 38, 39}, {1000, 50, 52}};
        for (BgNbdParameters p : parameterSets) {
            BgNbdModel model = new BgNbdModel(p);
            for (double[] c : customers) {
                int x = (int) c[0];
                double tx = c[1];
                double T = c[2];
                for (double t : new double[] {1, 39, 150}) {
                    double expected =
                            integratedExpectation(p, x, T, t) * model.probabilityAlive(x, tx, T);
                    assertThat(model.expectedPurchases(t, x, tx, T))
                            .as("%s x=%d T=%s t=%s", p, x, T, t)
                            .isCloseTo(expected, within(1e-7 * Math.max(1, expected)));
                }
            }
            for (double t : new double[] {0.1, 39, 300}) {
                assertThat(model.expectedPurchasesNewCustomer(t))
                        .isCloseTo(integratedExpectation(p, 0, 0, t), within(1e-8));
            }
        }
    }

    /** E[(1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p] over p ~ Beta(a, b+x). */
    private static double integratedExpectation(BgNbdParameters p, int x, double T, double t) {
        double a = p.a();
        double b = p.b() + x;
        double s = p.alpha() + T;
        double shape = p.r() + x;
        double logNorm = Beta.logBeta(a, b);
        return TanhSinh.integrate(
                (prob, oneMinusProb) -> {
                    double perP = -Math.expm1(-shape * Math.log1p(prob * t / s)) / prob;
                    return perP
                            * Math.exp(
                                    (a - 1) * Math.log(prob)
                                            + (b - 1) * Math.log(oneMinusProb)
                                            - logNorm);
                },
                1e-11);
    }

    @Test
    void expectationIsContinuousThroughAEqualsOne() {
        double below =
                new BgNbdModel(new BgNbdParameters(0.5, 3, 1 - 1e-9, 2))
                        .expectedPurchases(20, 3, 10, 30);
        double at =
                new BgNbdModel(new BgNbdParameters(0.5, 3, 1, 2)).expectedPurchases(20, 3, 10, 30);
        double above =
                new BgNbdModel(new BgNbdParameters(0.5, 3, 1 + 1e-9, 2))
                        .expectedPurchases(20, 3, 10, 30);
        assertThat(at).isCloseTo(below, within(1e-8)).isCloseTo(above, within(1e-8));
    }

    @Test
    void probabilityAliveIsOneWithoutRepeatPurchasesAndFallsWithTimeSinceTheLast() {
        assertThat(CDNOW.probabilityAlive(0, 0, 0)).isEqualTo(1.0);
        assertThat(CDNOW.probabilityAlive(0, 0, 38.86)).isEqualTo(1.0);

        double previous = 1.0;
        for (double T = 10; T <= 200; T += 5) {
            double alive = CDNOW.probabilityAlive(3, 10, T);
            assertThat(alive).as("T=%s", T).isLessThan(previous).isGreaterThan(0);
            previous = alive;
        }
        // a purchase right at the end: alive with probability (b+x-1)/(b+x-1+a)
        assertThat(CDNOW.probabilityAlive(3, 30, 30))
                .isCloseTo((2.426 + 2) / (2.426 + 2 + 0.793), within(1e-12));
        // more recent last purchase, same x and T: more likely alive
        assertThat(CDNOW.probabilityAlive(3, 35, 38))
                .isGreaterThan(CDNOW.probabilityAlive(3, 20, 38));
        // same recency and age, more purchases: a long silence says more about a frequent buyer
        assertThat(CDNOW.probabilityAlive(10, 20, 38))
                .isLessThan(CDNOW.probabilityAlive(2, 20, 38));
    }

    @Test
    void probabilityAliveIsTheAliveShareOfTheLikelihood() {
        int x = 4;
        double tx = 12;
        double T = 39;
        BgNbdParameters p = BgNbdParameters.PUBLISHED_CDNOW;
        double aliveTerm = Beta.logBeta(p.a(), p.b() + x) - (p.r() + x) * Math.log(p.alpha() + T);
        double deadTerm =
                Beta.logBeta(p.a() + 1, p.b() + x - 1) - (p.r() + x) * Math.log(p.alpha() + tx);
        double expected = 1 / (1 + Math.exp(deadTerm - aliveTerm));
        assertThat(CDNOW.probabilityAlive(x, tx, T)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void largeHistoriesNeitherOverflowNorUnderflowToNonsense() {
        double alive = CDNOW.probabilityAlive(5_000, 100, 104);
        assertThat(alive).isBetween(0.0, 1.0);
        assertThat(CDNOW.probabilityAlive(5_000, 104, 104)).isCloseTo(1.0, within(1e-3));
        // someone buying 5,000 days in 104 weeks and buying till now: about 48/week for a live
        // customer
        double expected = CDNOW.expectedPurchases(1, 5_000, 104, 104);
        assertThat(expected).isFinite().isBetween(40.0, 55.0);
        assertThat(CDNOW.logLikelihood(100_000, 500, 520)).isFinite();
        assertThat(CDNOW.expectedPurchasesNewCustomer(5_000)).isFinite().isPositive();
    }

    @Test
    void expectationsGrowWithTheHorizonAndStartAtTheMeanRate() {
        assertThat(CDNOW.expectedPurchasesNewCustomer(0)).isZero();
        assertThat(CDNOW.expectedPurchases(0, 2, 30.43, 38.86)).isZero();
        double previous = 0;
        for (double t = 1; t <= 200; t += 7) {
            double e = CDNOW.expectedPurchasesNewCustomer(t);
            assertThat(e).isGreaterThan(previous);
            previous = e;
        }
        // dE[X(t)]/dt at 0 = E[lambda] = r/alpha
        double h = 1e-6;
        assertThat(CDNOW.expectedPurchasesNewCustomer(h) / h)
                .isCloseTo(0.243 / 4.414, within(1e-6));
    }

    @Test
    void rhythmOverloadsUseFrequencyRecencyAndAge() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.onPurchaseDay(10_000);
        rhythm.onPurchaseDay(10_017);
        rhythm.onPurchaseDay(10_213);
        long now = (10_000 + 272) * PurchaseRhythm.DAY_MILLIS + 5_000;
        assertThat(CDNOW.probabilityAlive(rhythm, now))
                .isEqualTo(CDNOW.probabilityAlive(2, 213 / 7.0, 272 / 7.0));
        assertThat(CDNOW.expectedPurchases(39, rhythm, now))
                .isEqualTo(CDNOW.expectedPurchases(39, 2, 213 / 7.0, 272 / 7.0));
    }

    @Test
    void rejectsImpossibleCustomers() {
        assertThatThrownBy(() -> CDNOW.probabilityAlive(-1, 0, 1)).hasMessageContaining("x");
        assertThatThrownBy(() -> CDNOW.probabilityAlive(2, 5, 4)).hasMessageContaining("t_x");
        assertThatThrownBy(() -> CDNOW.expectedPurchases(-1, 2, 1, 4))
                .hasMessageContaining("weeks ahead");
        assertThatThrownBy(() -> CDNOW.logLikelihood(1, 1, Double.NaN)).hasMessageContaining("T");
    }

    /**
     * Simulates the BG/NBD's generative process and compares P(alive) and E[X(t)] with what
     * happened: the share of simulated customers still alive at T among those with a given x, and
     * the mean number of repeat purchases by t.
     */
    @Test
    void agreesWithSimulatedCustomers() {
        BgNbdParameters p = new BgNbdParameters(0.8, 6.0, 0.9, 3.5);
        BgNbdModel model = new BgNbdModel(p);
        RandomGenerator random = new Well19937c(2005);
        GammaDistribution rates = new GammaDistribution(random, p.r(), 1 / p.alpha());
        BetaDistribution dropouts = new BetaDistribution(random, p.a(), p.b());
        int customers = 200_000;
        double horizon = 39;
        double predictedAlive = 0;
        double actualAlive = 0;
        double purchases = 0;
        double[] predictedAliveByX = new double[4];
        double[] actualAliveByX = new double[4];
        for (int i = 0; i < customers; i++) {
            Simulator.Customer c =
                    Simulator.simulate(rates.sample(), dropouts.sample(), horizon, random);
            double pAlive = model.probabilityAlive(c.x(), c.tx(), horizon);
            predictedAlive += pAlive;
            actualAlive += c.aliveAtEnd() ? 1 : 0;
            purchases += c.x();
            if (c.x() >= 1 && c.x() <= 3) {
                predictedAliveByX[c.x()] += pAlive;
                actualAliveByX[c.x()] += c.aliveAtEnd() ? 1 : 0;
            }
        }
        // binomial standard error of a share over 200,000 is at most 0.0011; allow ~4 of them
        assertThat(predictedAlive / customers).isCloseTo(actualAlive / customers, within(0.005));
        for (int x = 1; x <= 3; x++) {
            assertThat(predictedAliveByX[x])
                    .as("x=%d", x)
                    .isCloseTo(actualAliveByX[x], within(0.03 * actualAliveByX[x]));
        }
        assertThat(model.expectedPurchasesNewCustomer(horizon))
                .isCloseTo(purchases / customers, within(0.02 * purchases / customers));
    }
}
