package io.p13n.cli.traffic;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws ranks {@code 0..n-1} with probability proportional to {@code 1 / (rank + 1)^exponent}: the
 * long-tailed shape of real storefronts, where a few products and customers account for much of the
 * traffic. Sampling is a binary search over the precomputed cumulative weights, so it costs {@code
 * O(log n)} per draw and {@code 8n} bytes once.
 */
final class ZipfDistribution {
    private final double[] cumulative;

    ZipfDistribution(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            sum += 1.0 / Math.pow(rank + 1, exponent);
            cumulative[rank] = sum;
        }
    }

    int sample(Random random) {
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int index = Arrays.binarySearch(cumulative, target);
        // binarySearch returns -(insertion point) - 1 when the value falls between two entries.
        int rank = index >= 0 ? index : -index - 1;
        return Math.min(rank, cumulative.length - 1);
    }
}
