package io.p13n.jobs.profile;

import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Exponentially time-decayed interest per category, the top N kept in the profile. Each entry
 * stores its score as of its own update time; reading or adding decays it to the time in question,
 * so no periodic job has to age anything.
 */
public final class CategoryAffinity {
    private CategoryAffinity() {}

    /** Adds {@code weight} of interest in {@code categoryId} at {@code time}. */
    public static void add(
            CustomerProfile profile,
            String categoryId,
            double weight,
            long time,
            long halfLifeMillis,
            int topN) {
        if (categoryId == null || categoryId.isEmpty() || weight <= 0) {
            return;
        }
        List<CategoryScore> scores = mutable(profile);
        for (CategoryScore entry : scores) {
            if (entry.getCategoryId().equals(categoryId)) {
                long at = Math.max(time, entry.getUpdatedAt());
                // A late event adds its weight decayed to the entry's newer time.
                double decayedWeight = weight * decay(at - time, halfLifeMillis);
                entry.setScore(
                        entry.getScore() * decay(at - entry.getUpdatedAt(), halfLifeMillis)
                                + decayedWeight);
                entry.setUpdatedAt(at);
                return;
            }
        }
        scores.add(new CategoryScore(categoryId, weight, time));
        if (scores.size() > topN) {
            // Drop the weakest as of now: a new interest replaces a faded one.
            scores.remove(weakest(scores, time, halfLifeMillis));
        }
    }

    /** The categories by score decayed to {@code asOf}, strongest first. */
    public static List<CategoryScore> top(CustomerProfile profile, long asOf, long halfLifeMillis) {
        List<CategoryScore> out = new ArrayList<>(profile.getCategories().size());
        for (CategoryScore entry : profile.getCategories()) {
            long at = Math.max(asOf, entry.getUpdatedAt());
            out.add(
                    new CategoryScore(
                            entry.getCategoryId(),
                            entry.getScore() * decay(at - entry.getUpdatedAt(), halfLifeMillis),
                            at));
        }
        out.sort(Comparator.comparingDouble(CategoryScore::getScore).reversed());
        return out;
    }

    static double decay(long elapsedMillis, long halfLifeMillis) {
        return elapsedMillis <= 0 ? 1.0 : Math.pow(0.5, (double) elapsedMillis / halfLifeMillis);
    }

    private static int weakest(List<CategoryScore> scores, long time, long halfLifeMillis) {
        int weakest = 0;
        double lowest = Double.MAX_VALUE;
        for (int i = 0; i < scores.size(); i++) {
            CategoryScore s = scores.get(i);
            double score = s.getScore() * decay(time - s.getUpdatedAt(), halfLifeMillis);
            if (score < lowest) {
                lowest = score;
                weakest = i;
            }
        }
        return weakest;
    }

    private static List<CategoryScore> mutable(CustomerProfile profile) {
        List<CategoryScore> scores = profile.getCategories();
        if (!(scores instanceof ArrayList)) {
            scores = new ArrayList<>(scores);
            profile.setCategories(scores);
        }
        return scores;
    }
}
