package io.p13n.jobs.churn;

/**
 * The Gauss hypergeometric function {@code 2F1(a, b; c; z)} and the one generalisation of it the
 * BG/NBD expectations need, {@code 3F2(a, b, 1; c, d; z)}, summed as power series for real {@code
 * |z| < 1}.
 *
 * <p>Why hand-written: Commons Math 3.6.1 (the library we use for {@code Gamma}, {@code Beta} and
 * the optimizers) has no hypergeometric function, and the BG/NBD only ever evaluates it at {@code z
 * = t / (alpha + T + t)}, which is in {@code [0, 1)} for every finite horizon {@code t}. There the
 * defining series converges absolutely, its terms follow from one another by a rational factor (no
 * Gamma functions, no allocation), and the error after stopping is bounded by a geometric tail, so
 * a direct sum is both accurate to about 1e-15 (relative, when the terms do not change sign) and
 * cheap: about {@code 35 / (1 - z)} terms at worst, a few hundred for typical parameters. The
 * {@code 1 - z} and {@code 1/z} transformations (needed near and beyond {@code z = 1}) are not
 * needed here and not implemented: arguments within about 1e-5 of 1 are refused rather than summed
 * slowly. Negative arguments, which the tests use against closed forms, go through Pfaff's
 * transformation in {@link #hyp2f1}.
 *
 * <p>Stopping rule: after term {@code n} the ratio {@code q_n = |t_{n+1} / t_n|} tends to {@code
 * |z|}; once {@code q = max(q_n, |z|) < 1} the remaining tail is at most {@code |t_{n+1}| / (1 -
 * q)} (the ratio is a rational function of {@code n} and is monotone from there on), and the sum
 * stops when that bound is below {@link #RELATIVE_TOLERANCE} times the partial sum (tested only
 * once every factor {@code (p + n)} is positive, so that a term made small by a parameter close to
 * {@code -n} does not stop the sum early). A series that has not converged after {@link #MAX_TERMS}
 * terms throws rather than returning a wrong number.
 */
public final class Hypergeometric {
    /** Relative accuracy the sums aim for. */
    public static final double RELATIVE_TOLERANCE = 1e-15;

    /** Upper bound on the number of terms: reached only for {@code z} within about 1e-5 of 1. */
    public static final int MAX_TERMS = 5_000_000;

    private Hypergeometric() {}

    /**
     * {@code 2F1(a, b; c; z) = sum_n (a)_n (b)_n / (c)_n * z^n / n!} for real {@code z < 1}. For
     * {@code z < 0} Pfaff's transformation {@code 2F1(a, b; c; z) = (1-z)^(-a) 2F1(a, c-b; c;
     * z/(z-1))} maps the argument into {@code (0, 1)}, which avoids summing an alternating series
     * (and its cancellation) and extends the domain to all negative {@code z}.
     *
     * @throws IllegalArgumentException if {@code z >= 1}, an argument is not finite, or {@code c}
     *     is zero or a negative integer (a pole)
     * @throws ArithmeticException if the series does not converge within {@link #MAX_TERMS} terms
     */
    public static double hyp2f1(double a, double b, double c, double z) {
        if (z < 0 && Double.isFinite(z)) {
            return Math.exp(-a * Math.log1p(-z)) * hyp3f2Unit(a, c - b, c, 1.0, z / (z - 1.0));
        }
        return hyp3f2Unit(a, b, c, 1.0, z);
    }

    /**
     * {@code 3F2(a, b, 1; c, d; z) = sum_n (a)_n (b)_n / ((c)_n (d)_n) * z^n} for real {@code |z| <
     * 1} (the numerator parameter 1 cancels the {@code n!}); {@code d = 1} gives {@code 2F1(a, b;
     * c; z)}. Summed directly: for negative {@code z} the series alternates and loses relative
     * accuracy when its terms grow much larger than its sum (the BG/NBD only uses {@code 0 <= z <
     * 1}).
     *
     * @throws IllegalArgumentException if {@code |z| >= 1}, an argument is not finite, or {@code c}
     *     or {@code d} is zero or a negative integer
     * @throws ArithmeticException if the series does not converge within {@link #MAX_TERMS} terms
     */
    public static double hyp3f2Unit(double a, double b, double c, double d, double z) {
        if (!(Math.abs(z) < 1.0)) {
            throw new IllegalArgumentException("hypergeometric series needs |z| < 1, got z = " + z);
        }
        if (!Double.isFinite(a)
                || !Double.isFinite(b)
                || !Double.isFinite(c)
                || !Double.isFinite(d)) {
            throw new IllegalArgumentException(
                    "hypergeometric parameters must be finite: a="
                            + a
                            + " b="
                            + b
                            + " c="
                            + c
                            + " d="
                            + d);
        }
        if (isNonPositiveInteger(c) || isNonPositiveInteger(d)) {
            throw new IllegalArgumentException(
                    "hypergeometric series undefined: denominator parameter is 0 or a negative integer (c="
                            + c
                            + ", d="
                            + d
                            + ")");
        }
        double sum = 1.0;
        double term = 1.0;
        double absZ = Math.abs(z);
        // Until every factor (p + n) is positive a term can be small by accident (a + n near 0) and
        // grow again: no stopping before then.
        double settled = Math.max(0.0, Math.max(Math.max(-a, -b), Math.max(-c, -d)));
        for (int n = 0; n < MAX_TERMS; n++) {
            double ratio = (a + n) * (b + n) / ((c + n) * (d + n)) * z;
            term *= ratio;
            if (term == 0.0) {
                return sum; // a or b is a non-positive integer: a polynomial, summed exactly
            }
            sum += term;
            double q = Math.max(Math.abs(ratio), absZ);
            if (q < 1.0
                    && n >= settled
                    && Math.abs(term) * q / (1.0 - q) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
                return sum;
            }
            if (!Double.isFinite(sum)) {
                break;
            }
        }
        throw new ArithmeticException(
                "hypergeometric series did not converge: a="
                        + a
                        + " b="
                        + b
                        + " c="
                        + c
                        + " d="
                        + d
                        + " z="
                        + z
                        + " (partial sum "
                        + sum
                        + ")");
    }

    private static boolean isNonPositiveInteger(double v) {
        return v <= 0 && v == Math.rint(v);
    }
}
