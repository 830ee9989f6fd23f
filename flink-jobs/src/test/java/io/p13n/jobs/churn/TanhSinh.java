package io.p13n.jobs.churn;

/**
 * Tanh-sinh (double-exponential) quadrature on [0, 1], for tests: it integrates endpoint
 * singularities such as {@code t^(b-1)} with {@code b < 1} to near machine precision, which
 * Gauss-Legendre does not. The integrand gets both {@code t} and {@code 1 - t}, computed without
 * cancellation, so that factors like {@code (1 - t)^(c-1)} stay accurate next to 1.
 */
final class TanhSinh {
    /** f(t, 1 - t). */
    @FunctionalInterface
    interface Integrand {
        double value(double t, double oneMinusT);
    }

    private TanhSinh() {}

    /** Halves the step until two estimates agree to the relative tolerance. */
    static double integrate(Integrand f, double relativeTolerance) {
        double previous = Double.NaN;
        for (double h = 0.25; h > 1e-4; h /= 2) {
            double sum = 0;
            int n = (int) Math.ceil(4.5 / h);
            for (int k = -n; k <= n; k++) {
                double x = k * h;
                double s = Math.PI * Math.sinh(x);
                double t = 1 / (1 + Math.exp(-s));
                double u = 1 / (1 + Math.exp(s));
                double weight = h * Math.PI * Math.cosh(x) * t * u;
                if (t == 0 || u == 0 || weight == 0) {
                    continue;
                }
                sum += weight * f.value(t, u);
            }
            if (Math.abs(sum - previous) <= relativeTolerance * Math.abs(sum)) {
                return sum;
            }
            previous = sum;
        }
        throw new AssertionError(
                "tanh-sinh quadrature did not converge: last estimate " + previous);
    }
}
