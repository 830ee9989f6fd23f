package io.p13n.jobs.offers;

import io.p13n.model.TriggerType;

/**
 * Deterministic ids: the same (customer, campaign, trigger, moment) always gives the same decision
 * id and coupon code, so a replay after a failure re-issues the very same coupon, and the ledger
 * can de-duplicate by it.
 */
public final class CouponIds {
    /** Crockford's base-32 alphabet: no I, L, O, U, so codes read aloud and typed unambiguously. */
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private CouponIds() {}

    /** 16 hex digits of a 64-bit hash of the moment's identity. */
    public static String decisionId(
            String customerId, String campaignId, TriggerType trigger, long momentTime) {
        long h =
                Hashes.hash64(
                        customerId
                                + "\u0000"
                                + campaignId
                                + "\u0000"
                                + trigger
                                + "\u0000"
                                + momentTime);
        return String.format("%016x", h);
    }

    /**
     * {@code P13N-XXXX-XXXX}: the top 40 bits of the decision id in base 32. Among a million
     * coupons about one pair shares a code (birthday bound n^2 / 2^41); redemption is matched
     * within one customer's offers, so a shared code only matters if one customer holds both.
     */
    public static String couponCode(String decisionId) {
        long bits = Long.parseUnsignedLong(decisionId, 16);
        StringBuilder code = new StringBuilder("P13N-");
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                code.append('-');
            }
            int shift = 64 - 5 * (i + 1);
            code.append(ALPHABET[(int) ((bits >>> shift) & 31)]);
        }
        return code.toString();
    }
}
