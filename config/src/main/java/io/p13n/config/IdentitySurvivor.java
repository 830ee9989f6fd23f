package io.p13n.config;

/**
 * Which id keeps the profile when an identification merges an anonymous id with a known customer id
 * ({@code identity.surviving-id}).
 */
public enum IdentitySurvivor {
    /**
     * The known customer id: the anonymous profile is merged into the customer's, and events still
     * carrying the anonymous id count for the customer. The default: the customer id is what the
     * CRM, the loyalty programme and every channel share.
     */
    KNOWN,

    /**
     * The anonymous (device) id: the customer's profile is merged into it, for a store that keys
     * everything it reads by device.
     */
    ANONYMOUS
}
