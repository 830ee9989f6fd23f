package io.p13n.jobs.offers;

import java.io.Serializable;

/**
 * Who is held out, by salted hashes of ids: the same customer always lands in the same group
 * (across restarts, replays and parallel instances) without any state, and a new salt reshuffles.
 *
 * <ul>
 *   <li>A campaign's <b>control group</b> ({@code offers.control-group.share}): a hash of
 *       (campaign, customer), so each campaign draws its own control customers, independently of
 *       the variant hash and of other campaigns; a customer held out of one campaign can be treated
 *       by another.
 *   <li>The <b>global control group</b> ({@code offers.global-control.share}): a hash of (period,
 *       customer), held out of every campaign for one {@code offers.global-control.period} (counted
 *       in event time from the epoch), then drawn again, so no customer is kept from all offers for
 *       good and the group does not age into a population of its own.
 * </ul>
 */
public final class ControlGroup implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double share;
    private final String salt;
    private final double globalShare;
    private final long globalPeriodMillis;

    /** A campaign control group only (no global one). */
    public ControlGroup(double share, String salt) {
        this(share, salt, 0, OfferSettings.DAY_MILLIS);
    }

    public ControlGroup(double share, String salt, double globalShare, long globalPeriodMillis) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], was " + share);
        }
        if (!(globalShare >= 0 && globalShare < 1)) {
            throw new IllegalArgumentException(
                    "global share must be in [0, 1), was " + globalShare);
        }
        if (globalPeriodMillis <= 0) {
            throw new IllegalArgumentException(
                    "global period must be positive, was " + globalPeriodMillis);
        }
        this.share = share;
        this.salt = salt == null ? "" : salt;
        this.globalShare = globalShare;
        this.globalPeriodMillis = globalPeriodMillis;
    }

    public static ControlGroup of(OfferSettings settings) {
        return new ControlGroup(
                settings.controlShare(),
                settings.controlSalt(),
                settings.globalControlShare(),
                settings.globalControlPeriodMillis());
    }

    /** Whether the customer is in the campaign's control group. */
    public boolean isControl(String campaignId, String customerId) {
        return Hashes.unit(salt + "\u0000" + campaignId + "\u0000" + customerId) < share;
    }

    /** Whether the customer is in the global control group at event time {@code at}. */
    public boolean isGlobalControl(String customerId, long at) {
        return globalShare > 0
                && Hashes.unit(
                                salt
                                        + "\u0000global\u0000"
                                        + Math.floorDiv(at, globalPeriodMillis)
                                        + "\u0000"
                                        + customerId)
                        < globalShare;
    }

    public double share() {
        return share;
    }

    public double globalShare() {
        return globalShare;
    }
}
