package io.p13n.jobs.churn;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The BG/NBD's generative process, for tests: Poisson purchases while alive, dropout after each
 * repeat purchase.
 */
final class Simulator {
    /** A simulated customer observed for T weeks after the first purchase. */
    record Customer(int x, double tx, boolean aliveAtEnd) {}

    private Simulator() {}

    /**
     * One customer with purchase rate {@code lambda} per week and dropout probability {@code p},
     * observed for {@code T} weeks after the first purchase (at time 0, not counted).
     */
    static Customer simulate(double lambda, double p, double T, RandomGenerator random) {
        int x = 0;
        double tx = 0;
        double t = 0;
        while (true) {
            t += -Math.log(1 - random.nextDouble()) / lambda;
            if (t > T) {
                return new Customer(x, tx, true);
            }
            x++;
            tx = t;
            if (random.nextDouble() < p) {
                return new Customer(x, tx, false);
            }
        }
    }

    /**
     * Customers with parameters drawn from the BG/NBD's mixing distributions, each observed for its
     * own T.
     */
    static BgNbdFitter.Observation[] population(
            BgNbdParameters params, double[] ages, RandomGenerator random) {
        GammaDistribution rates = new GammaDistribution(random, params.r(), 1 / params.alpha());
        BetaDistribution dropouts = new BetaDistribution(random, params.a(), params.b());
        BgNbdFitter.Observation[] customers = new BgNbdFitter.Observation[ages.length];
        for (int i = 0; i < ages.length; i++) {
            Customer c = simulate(rates.sample(), dropouts.sample(), ages[i], random);
            customers[i] = new BgNbdFitter.Observation(c.x(), c.tx(), ages[i]);
        }
        return customers;
    }
}
