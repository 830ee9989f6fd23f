package io.p13n.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for mistyped keys: the closest key by a small edit distance. */
final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate closest to {@code typed}, if it is close enough to be a plausible typo: at most
     * 3 edits and at most a third of the typed length, so that short keys do not match everything.
     * Case is ignored; on a tie the earlier candidate (declaration order) wins.
     */
    static Optional<String> closest(String typed, List<String> candidates) {
        String lower = typed.toLowerCase(Locale.ROOT);
        int limit = Math.min(3, Math.max(1, lower.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d <= limit && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Edit distance counting insertions, deletions, substitutions and swaps of two neighbours as
     * one edit each (optimal string alignment). Swaps count as one because "prot" for "port" is the
     * typical typo.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
