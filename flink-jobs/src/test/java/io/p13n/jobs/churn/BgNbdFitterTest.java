package io.p13n.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class BgNbdFitterTest {
    private final BgNbdFitter fitter = new BgNbdFitter();

    /**
     * Fader, Hardie and Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
     */
    @Test
    void reproducesThePublishedCdnowEstimatesFromTheRawSample() throws IOException {
        long end = CdnowData.millis(CdnowData.CALIBRATION_END);
        Map<Integer, PurchaseRhythm> rhythms = new TreeMap<>();
        for (CdnowData.Purchase purchase : CdnowData.sample()) {
            if (purchase.epochMillis() <= end) {
                rhythms.computeIfAbsent(purchase.sampleId(), id -> new PurchaseRhythm())
                        .onPurchase(purchase.epochMillis());
            }
        }

        BgNbdFitter.Fit fit = fitter.fitRhythms(rhythms.values(), end);

        assertPublished(fit);
        assertThat(fit.customers()).isEqualTo(2_357);

        // In sample, the fitted model's E[X(T_i)] summed over customers is close to the 2,457
        // repeat
        // purchases they made (the end point of the paper's cumulative tracking curve, calibration
        // part).
        BgNbdModel model = new BgNbdModel(fit.parameters());
        double expected = 0;
        long actual = 0;
        for (PurchaseRhythm rhythm : rhythms.values()) {
            expected += model.expectedPurchasesNewCustomer(rhythm.ageWeeks(end));
            actual += rhythm.frequency();
        }
        assertThat(actual).isEqualTo(2_457);
        assertThat(expected).isCloseTo(actual, within(0.03 * actual)); // measured: 2,494 (+1.5%)
    }

    @Test
    void reproducesThePublishedCdnowEstimatesFromTheSummaryCsv() throws IOException {
        BgNbdFitter.Fit fit = fitter.fit(CdnowData.summaryObservations());

        assertPublished(fit);
        // and it is a maximum: no worse than the published (rounded) values
        assertThat(fit.logLikelihood())
                .isGreaterThanOrEqualTo(
                        BgNbdFitter.logLikelihood(
                                        BgNbdParameters.PUBLISHED_CDNOW,
                                        CdnowData.summaryObservations())
                                - 1e-9);
    }

    private static void assertPublished(BgNbdFitter.Fit fit) {
        BgNbdParameters p = fit.parameters();
        assertThat(p.r()).as("r").isCloseTo(0.243, within(0.01));
        assertThat(p.alpha()).as("alpha").isCloseTo(4.414, within(0.05));
        assertThat(p.a()).as("a").isCloseTo(0.793, within(0.01));
        assertThat(p.b()).as("b").isCloseTo(2.426, within(0.01));
        assertThat(fit.logLikelihood()).isCloseTo(-9582.4, within(0.5));
        assertThat(fit.iterations()).isPositive();
    }

    /**
     * Customers simulated from known parameters, with ages spread over a year as in a cohort that
     * joined over time: the estimates are close to the truth, and the fitted likelihood is at least
     * the likelihood of the truth (the optimizer found the maximum, whatever the sampling error).
     */
    @Test
    void recoversTheParametersOfSimulatedCustomers() {
        BgNbdParameters truth = new BgNbdParameters(0.5, 5.0, 0.8, 3.0);
        RandomGenerator random = new Well19937c(18);
        double[] ages = new double[30_000];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = 26 + 26 * random.nextDouble();
        }
        List<BgNbdFitter.Observation> customers =
                Arrays.asList(Simulator.population(truth, ages, random));

        BgNbdFitter.Fit fit = fitter.fit(customers);

        BgNbdParameters p = fit.parameters();
        // sampling error at 30,000 customers is a few percent (a and b, the dropout side, are the
        // loosest)
        assertThat(p.r()).isCloseTo(truth.r(), within(0.05 * truth.r()));
        assertThat(p.alpha()).isCloseTo(truth.alpha(), within(0.08 * truth.alpha()));
        assertThat(p.a()).isCloseTo(truth.a(), within(0.15 * truth.a()));
        assertThat(p.b()).isCloseTo(truth.b(), within(0.2 * truth.b()));
        assertThat(fit.logLikelihood())
                .isGreaterThanOrEqualTo(BgNbdFitter.logLikelihood(truth, customers));
    }

    @Test
    void convergesFromAFarAwayTruth() {
        BgNbdParameters truth = new BgNbdParameters(3.0, 0.5, 2.0, 9.0);
        RandomGenerator random = new Well19937c(99);
        double[] ages = new double[20_000];
        Arrays.fill(ages, 52);
        List<BgNbdFitter.Observation> customers =
                Arrays.asList(Simulator.population(truth, ages, random));

        BgNbdFitter.Fit fit = fitter.fit(customers);

        assertThat(fit.logLikelihood())
                .isGreaterThanOrEqualTo(BgNbdFitter.logLikelihood(truth, customers));
        assertThat(fit.parameters().r() / fit.parameters().alpha())
                .as("mean rate r/alpha")
                .isCloseTo(truth.r() / truth.alpha(), within(0.05 * truth.r() / truth.alpha()));
    }

    @Test
    void identicalCustomersCountAsManyTimesAsTheyOccur() {
        List<BgNbdFitter.Observation> customers = new ArrayList<>();
        customers.add(new BgNbdFitter.Observation(2, 10, 30));
        customers.add(new BgNbdFitter.Observation(2, 10, 30));
        customers.add(new BgNbdFitter.Observation(0, 0, 30));
        BgNbdModel model = new BgNbdModel(BgNbdParameters.PUBLISHED_CDNOW);
        assertThat(BgNbdFitter.logLikelihood(BgNbdParameters.PUBLISHED_CDNOW, customers))
                .isCloseTo(
                        2 * model.logLikelihood(2, 10, 30) + model.logLikelihood(0, 0, 30),
                        within(1e-10));
    }

    @Test
    void refusesDataWithoutParametersToEstimate() {
        assertThatThrownBy(() -> fitter.fit(List.of())).hasMessageContaining("no customers");
        assertThatThrownBy(() -> fitter.fit(List.of(new BgNbdFitter.Observation(0, 0, 10))))
                .hasMessageContaining("repeat purchase");
        assertThatThrownBy(() -> new BgNbdFitter.Observation(1, 11, 10))
                .hasMessageContaining("t_x");
    }
}
