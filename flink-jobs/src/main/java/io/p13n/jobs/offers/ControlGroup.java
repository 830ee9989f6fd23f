package io.p13n.jobs.offers;

import java.io.Serializable;

/**
 * The global control group: customers held out of every campaign, to measure what offers change.
 * Membership is a salted hash of the customer id below {@code share}: the same customer is always
 * in the same group (across restarts, replays and parallel instances) without any state, and a new
 * salt reshuffles it.
 */
public final class ControlGroup implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double share;
    private final String salt;

    public ControlGroup(double share, String salt) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], was " + share);
        }
        this.share = share;
        this.salt = salt == null ? "" : salt;
    }

    public boolean isControl(String customerId) {
        return Hashes.unit(salt + "\u0000" + customerId) < share;
    }
}
