package io.p13n.config;

/**
 * What the engine assumes for a customer who has no consent record for a purpose (or whose record
 * expired): the legal regime the store operates under, decided by the people who run it.
 */
public enum ConsentDefault {
    /**
     * Opt-out regimes: allowed until the customer withdraws. Today's behaviour for stores that send
     * no consent events at all.
     */
    GRANTED,

    /**
     * Opt-in regimes (e.g. the EU's ePrivacy rules for email and SMS marketing, GDPR consent for
     * profiling): nothing until the customer grants it.
     */
    DENIED;

    /** Whether a customer without a record is taken to have consented. */
    public boolean granted() {
        return this == GRANTED;
    }
}
