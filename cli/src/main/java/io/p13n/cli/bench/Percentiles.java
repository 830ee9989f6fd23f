package io.p13n.cli.bench;

import java.util.Arrays;

/**
 * Latency samples, in milliseconds, and their percentiles. Exact (every sample kept, sorted once):
 * a bench run has at most a few million samples, 8 bytes each.
 */
public final class Percentiles {
    private long[] samples = new long[1024];
    private int size;
    private boolean sorted = true;

    public void add(long value) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = value;
        sorted = false;
    }

    public int count() {
        return size;
    }

    /**
     * The nearest-rank percentile: the smallest sample with at least {@code p} % of the samples at
     * or below it. {@code p} in (0, 100]; NaN without samples.
     */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (size == 0) {
            return Double.NaN;
        }
        sort();
        // The epsilon keeps 99.9 % of 10,000 at rank 9,990: in floating point it is
        // 9,990.000000000002.
        int rank = (int) Math.ceil(p / 100.0 * size - 1e-9);
        return samples[Math.max(0, Math.min(size, rank) - 1)];
    }

    public double mean() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += samples[i];
        }
        return sum / size;
    }

    public double max() {
        if (size == 0) {
            return Double.NaN;
        }
        sort();
        return samples[size - 1];
    }

    /** A copy of the samples, sorted. */
    public long[] sortedSamples() {
        sort();
        return Arrays.copyOf(samples, size);
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(samples, 0, size);
            sorted = true;
        }
    }
}
