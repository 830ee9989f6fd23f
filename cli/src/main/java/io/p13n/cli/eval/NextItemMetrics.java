package io.p13n.cli.eval;

import java.util.List;

/**
 * Hit rate and mean reciprocal rank at a cut-off, the session-rec way: the rank of the next item is
 * its 1-based position in the recommended list; it counts only within the first {@code k}.
 */
final class NextItemMetrics {
    private final int k;
    private long predictions;
    private long hits;
    private double reciprocalRanks;

    NextItemMetrics(int k) {
        this.k = k;
    }

    void record(List<String> ranked, String next) {
        predictions++;
        int limit = Math.min(k, ranked.size());
        for (int i = 0; i < limit; i++) {
            if (ranked.get(i).equals(next)) {
                hits++;
                reciprocalRanks += 1.0 / (i + 1);
                return;
            }
        }
    }

    long predictions() {
        return predictions;
    }

    double hitRate() {
        return predictions == 0 ? 0 : (double) hits / predictions;
    }

    double mrr() {
        return predictions == 0 ? 0 : reciprocalRanks / predictions;
    }

    int k() {
        return k;
    }
}
