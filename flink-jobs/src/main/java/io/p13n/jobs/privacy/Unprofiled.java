package io.p13n.jobs.privacy;

import io.p13n.model.CustomerProfile;

/**
 * What the customer stage keeps of someone who has not given (or has withdrawn) personalization
 * consent: no browsing history, cart, category interests, sessions, purchase rhythm, segment or
 * churn score, only what the store owes them or needs to run the stream: the orders and spend
 * behind their loyalty points and tier, the consent decisions themselves and the de-duplication
 * window (and the ids merged into the customer, so a replayed merge is still recognised), and the
 * attributes the customer stated themselves (birthday, time zone, signup day, channel). The item
 * models still count their orders' co-purchases (aggregates without a customer id), not their
 * clicks.
 */
public final class Unprofiled {
    private Unprofiled() {}

    /** A new profile holding only the kept fields of {@code p}. */
    public static CustomerProfile of(CustomerProfile p) {
        return CustomerProfile.newBuilder()
                .setCustomerId(p.getCustomerId())
                .setLastEventTime(p.getLastEventTime())
                .setOrders(p.getOrders())
                .setCancellations(p.getCancellations())
                .setRefunds(p.getRefunds())
                .setTotalSpend(p.getTotalSpend())
                .setPoints(p.getPoints())
                .setSpendMonth(p.getSpendMonth())
                .setMonthlySpend(p.getMonthlySpend())
                .setTier(p.getTier())
                .setConsents(p.getConsents())
                .setRecentEventHashes(p.getRecentEventHashes())
                .setMergedIdentities(p.getMergedIdentities()) // what keeps a merge from repeating
                // stated by the customer, not observed: the dates and zone their offers respect
                .setBirthday(p.getBirthday())
                .setTimeZone(p.getTimeZone())
                .setSignupDay(p.getSignupDay())
                .setPreferredChannel(p.getPreferredChannel())
                // which birthdays and anniversaries were had: none twice after consent comes back
                .setBirthdayMomentYear(p.getBirthdayMomentYear())
                .setAnniversaryMomentYear(p.getAnniversaryMomentYear())
                .setAttributesTime(p.getAttributesTime())
                .build();
    }
}
