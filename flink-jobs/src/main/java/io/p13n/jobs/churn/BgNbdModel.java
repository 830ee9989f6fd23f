package io.p13n.jobs.churn;

import java.io.Serializable;
import org.apache.commons.math3.special.Gamma;

/**
 * The BG/NBD model (Fader, Hardie and Lee 2005) for given parameters: how likely a customer with
 * {@code x} repeat purchases, the last at {@code t_x} weeks after the first, and first purchase
 * {@code T} weeks ago, is still a customer, and how many purchases to expect from them.
 *
 * <p>Immutable and thread-safe; the per-customer methods allocate nothing and call no special
 * function except {@link #logLikelihood} (three log-Gamma) and the expectations (one hypergeometric
 * series, typically a few hundred terms). Everything is computed in log space where the direct
 * formulas would overflow: {@code (alpha + T)^(r + x)} for large {@code x}, and the {@code 2F1} of
 * equation 10, whose value grows like {@code ((alpha + T + t) / (alpha + T))^(r + x)}.
 *
 * <p>Arguments: {@code x} >= 0, {@code 0 <= t_x <= T} (up to rounding), all times in weeks; {@code
 * t_x} is ignored when {@code x = 0}. Invalid arguments throw {@link IllegalArgumentException}.
 */
public final class BgNbdModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final BgNbdParameters parameters;
    private final double r;
    private final double alpha;
    private final double a;
    private final double b;
    private final double logA;

    /**
     * {@code r ln(alpha) - ln Gamma(r) + ln Gamma(a + b) - ln Gamma(b)}: the x-free part of the
     * likelihood.
     */
    private final double logLikelihoodConstant;

    public BgNbdModel(BgNbdParameters parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        this.parameters = parameters;
        this.r = parameters.r();
        this.alpha = parameters.alpha();
        this.a = parameters.a();
        this.b = parameters.b();
        this.logA = Math.log(a);
        this.logLikelihoodConstant =
                r * Math.log(alpha) - Gamma.logGamma(r) + Gamma.logGamma(a + b) - Gamma.logGamma(b);
    }

    public BgNbdParameters parameters() {
        return parameters;
    }

    /**
     * The log of the individual likelihood (paper, equation 6):
     *
     * <pre>
     *   L = B(a, b+x)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
     *     + [x > 0] B(a+1, b+x-1)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+t_x)^(r+x))
     * </pre>
     *
     * summed as {@code log(exp(u) + exp(v))} without leaving log space.
     */
    public double logLikelihood(int x, double tx, double T) {
        checkCustomer(x, tx, T);
        double common =
                logLikelihoodConstant
                        + Gamma.logGamma(r + x)
                        + Gamma.logGamma(b + x)
                        - Gamma.logGamma(a + b + x);
        double stillAlive = -(r + x) * Math.log(alpha + T);
        if (x == 0) {
            return common + stillAlive;
        }
        // B(a+1, b+x-1) / B(a, b+x) = a / (b+x-1)
        double droppedOut = logA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
        double max = Math.max(stillAlive, droppedOut);
        return common + max + Math.log1p(Math.exp(Math.min(stillAlive, droppedOut) - max));
    }

    /**
     * P(alive | x, t_x, T) (Fader, Hardie and Lee, "Computing P(alive) using the BG/NBD model",
     * 2008):
     *
     * <pre>
     *   1 / (1 + [x > 0] a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))
     * </pre>
     *
     * 1 for a customer without repeat purchases (the model lets customers drop out only right after
     * a repeat purchase).
     */
    public double probabilityAlive(int x, double tx, double T) {
        checkCustomer(x, tx, T);
        return aliveProbability(x, tx, T);
    }

    private double aliveProbability(int x, double tx, double T) {
        if (x == 0) {
            return 1.0;
        }
        // ((alpha+T)/(alpha+t_x))^(r+x) as exp((r+x) log1p((T - t_x)/(alpha + t_x))): no overflow,
        // no cancellation
        double logOdds =
                logA
                        - Math.log(b + x - 1)
                        + (r + x) * Math.log1p(Math.max(0.0, T - tx) / (alpha + tx));
        return logOdds > 0
                ? Math.exp(-logOdds) / (1.0 + Math.exp(-logOdds))
                : 1.0 / (1.0 + Math.exp(logOdds));
    }

    /** {@link #probabilityAlive(int, double, double)} of a rhythm at a given time. */
    public double probabilityAlive(PurchaseRhythm rhythm, long nowMillis) {
        return probabilityAlive(
                rhythm.frequency(), rhythm.recencyWeeks(), rhythm.ageWeeks(nowMillis));
    }

    /**
     * E[Y(t) | x, t_x, T]: expected purchases in the next {@code t} weeks (paper, equation 10):
     *
     * <pre>
     *   (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] * P(alive),
     *   z = t / (alpha+T+t)
     * </pre>
     *
     * Evaluated in a form that neither overflows nor divides by {@code a - 1}: Euler's
     * transformation {@code 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z)} turns the bracket
     * into {@code 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)}, whose series has bounded terms
     * for every {@code x}; and since its second parameter is {@code a-1}, the bracket divided by
     * {@code a-1} is, with {@code e = a-1}, {@code C = a+b+x-1}, {@code L = ln(1-z)},
     *
     * <pre>
     *   C (1 - e^(eL)) / e - e^(eL) (a+b-1-r) z 3F2(a+b-r, a, 1; a+b+x, 2; z)
     * </pre>
     *
     * which is smooth through {@code a = 1} (where the first term is {@code -C L}).
     */
    public double expectedPurchases(double t, int x, double tx, double T) {
        checkCustomer(x, tx, T);
        checkHorizon(t);
        if (t == 0) {
            return 0.0;
        }
        return conditionalBracket(t, x, T) * aliveProbability(x, tx, T);
    }

    /** {@link #expectedPurchases(double, int, double, double)} for a rhythm at a given time. */
    public double expectedPurchases(double t, PurchaseRhythm rhythm, long nowMillis) {
        return expectedPurchases(
                t, rhythm.frequency(), rhythm.recencyWeeks(), rhythm.ageWeeks(nowMillis));
    }

    /**
     * E[X(t)]: expected repeat purchases in the first {@code t} weeks after a customer's first
     * purchase (paper, equation 7):
     *
     * <pre>
     *   (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]
     * </pre>
     *
     * which is {@link #expectedPurchases} for {@code x = 0, T = 0}, and is evaluated the same way.
     */
    public double expectedPurchasesNewCustomer(double t) {
        checkHorizon(t);
        if (t == 0) {
            return 0.0;
        }
        return conditionalBracket(t, 0, 0.0);
    }

    /**
     * {@code (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(...)]}, see {@link
     * #expectedPurchases}.
     */
    private double conditionalBracket(double t, int x, double T) {
        double s = alpha + T;
        double z = t / (s + t);
        double logOneMinusZ = -Math.log1p(t / s);
        double e = a - 1.0;
        double c = a + b + x - 1.0;
        double aPrime = a + b - 1.0 - r;
        double firstTerm = e == 0.0 ? -logOneMinusZ : -Math.expm1(e * logOneMinusZ) / e;
        double series =
                aPrime == 0.0
                        ? 0.0
                        : aPrime * z * Hypergeometric.hyp3f2Unit(aPrime + 1.0, a, c + 1.0, 2.0, z);
        return c * firstTerm - Math.exp(e * logOneMinusZ) * series;
    }

    private static void checkCustomer(int x, double tx, double T) {
        if (x < 0) {
            throw new IllegalArgumentException("x (repeat purchases) must be >= 0, got " + x);
        }
        if (!(T >= 0) || !Double.isFinite(T)) {
            throw new IllegalArgumentException(
                    "T (weeks since the first purchase) must be finite and >= 0, got " + T);
        }
        if (x > 0 && (!(tx >= 0) || tx > T * (1 + 1e-12) + 1e-12)) {
            throw new IllegalArgumentException(
                    "t_x (weeks from first to last purchase) must be in [0, T="
                            + T
                            + "], got "
                            + tx);
        }
    }

    private static void checkHorizon(double t) {
        if (!(t >= 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("t (weeks ahead) must be finite and >= 0, got " + t);
        }
    }

    @Override
    public String toString() {
        return "BgNbdModel" + parameters;
    }
}
