package io.p13n.cli.traffic;

import io.p13n.model.Channel;
import java.util.OptionalInt;
import java.util.Random;

/**
 * The simulated store's customers and how often each comes back. Visits follow a Zipf law over a
 * seeded random ranking, so a few customers are very active and most visit rarely. A share of
 * customers "go quiet": they get a small budget of sessions and never start another once it is
 * used, which is what churn scoring is meant to notice. Each customer also prefers one channel (web
 * or app). Tracks which customers have a session open, so that one customer has one session at a
 * time.
 */
final class CustomerPopulation {
    /**
     * Activity skew: with 10,000 customers the most active 1% start about a fifth of all sessions.
     */
    private static final double ACTIVITY_EXPONENT = 0.8;

    private static final double QUIET_SHARE = 0.2;
    private static final int MAX_QUIET_SESSIONS = 6;
    private static final double APP_PREFERENCE_SHARE = 0.35;
    private static final double PREFERRED_CHANNEL_PROBABILITY = 0.85;

    /** Draws before giving up on finding a customer who is free to start a session. */
    private static final int PICK_ATTEMPTS = 32;

    private final String[] ids;
    private final int[] customerByActivityRank;
    private final ZipfDistribution activity;

    /** Sessions a quiet customer may still start; {@code -1} for customers who keep coming back. */
    private final int[] sessionBudget;

    private final int[] sessionsStarted;
    private final boolean[] sessionOpen;
    private final Channel[] preferredChannel;

    CustomerPopulation(Random random, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one customer, got " + count);
        }
        int width = Math.max(6, String.valueOf(count - 1).length());
        ids = new String[count];
        sessionBudget = new int[count];
        sessionsStarted = new int[count];
        sessionOpen = new boolean[count];
        preferredChannel = new Channel[count];
        customerByActivityRank = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = "c" + String.format("%0" + width + "d", i);
            customerByActivityRank[i] = i;
        }
        // Fisher-Yates: activity must not be readable from the id.
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = customerByActivityRank[i];
            customerByActivityRank[i] = customerByActivityRank[j];
            customerByActivityRank[j] = swap;
        }
        for (int rank = 0; rank < count; rank++) {
            int customer = customerByActivityRank[rank];
            // The most active customer never goes quiet, so a free customer can always be found
            // eventually.
            boolean quiet = rank > 0 && random.nextDouble() < QUIET_SHARE;
            sessionBudget[customer] = quiet ? 1 + random.nextInt(MAX_QUIET_SESSIONS) : -1;
            preferredChannel[customer] =
                    random.nextDouble() < APP_PREFERENCE_SHARE ? Channel.APP : Channel.WEB;
        }
        activity = new ZipfDistribution(count, ACTIVITY_EXPONENT);
    }

    int size() {
        return ids.length;
    }

    String id(int customer) {
        return ids[customer];
    }

    /**
     * A customer to start a new session for, drawn by activity among those who have no open session
     * and have not gone quiet; empty when none was found in a few draws (the caller then continues
     * an open session instead).
     */
    OptionalInt pickForNewSession(Random random) {
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            int customer = customerByActivityRank[activity.sample(random)];
            if (!sessionOpen[customer] && !hasGoneQuiet(customer)) {
                return OptionalInt.of(customer);
            }
        }
        return OptionalInt.empty();
    }

    void sessionStarted(int customer) {
        sessionOpen[customer] = true;
        sessionsStarted[customer]++;
    }

    void sessionEnded(int customer) {
        sessionOpen[customer] = false;
    }

    /** The channel of a new session: usually the customer's preferred one. */
    Channel channelFor(int customer, Random random) {
        Channel preferred = preferredChannel[customer];
        if (random.nextDouble() < PREFERRED_CHANNEL_PROBABILITY) {
            return preferred;
        }
        return preferred == Channel.APP ? Channel.WEB : Channel.APP;
    }

    /** Whether this customer is one of those who stop coming back after a few sessions. */
    boolean isQuietType(int customer) {
        return sessionBudget[customer] >= 0;
    }

    /** The number of sessions after which a quiet customer stops coming back. */
    int sessionBudget(int customer) {
        return sessionBudget[customer];
    }

    private boolean hasGoneQuiet(int customer) {
        return isQuietType(customer) && sessionsStarted[customer] >= sessionBudget[customer];
    }
}
