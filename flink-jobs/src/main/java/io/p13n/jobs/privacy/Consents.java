package io.p13n.jobs.privacy;

import io.p13n.model.ConsentEvent;
import io.p13n.model.ConsentGrant;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.MessageChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A customer's consent decisions, as the profile keeps them: the latest one per purpose and channel
 * (so at most one for personalization and five for marketing: every channel, and each of EMAIL,
 * SMS, PUSH, ONSITE), and what they allow at a given time.
 *
 * <p>For one purpose and channel, the applicable decisions are the channel's own and the
 * every-channel one; the newer of them (by event time) decides, so "withdraw all marketing" after
 * "grant email" withdraws email, and "grant email" after "withdraw all" grants email alone. An
 * expired decision no longer counts; without any, the configured default does ({@code
 * privacy.*-consent-default}).
 */
public final class Consents {
    private Consents() {}

    /**
     * The decisions after {@code event}; it replaces the one for its purpose and channel unless
     * that one is newer (events can arrive out of order). Returns a new list when it changed.
     */
    public static List<ConsentGrant> record(List<ConsentGrant> grants, ConsentEvent event) {
        long at = event.getEventTime().toEpochMilli();
        List<ConsentGrant> next = new ArrayList<>(grants.size() + 1);
        for (ConsentGrant g : grants) {
            if (g.getPurpose() == event.getPurpose()
                    && Objects.equals(g.getChannel(), event.getChannel())) {
                if (g.getAt() > at) {
                    return grants; // a newer decision is already known
                }
                continue;
            }
            next.add(g);
        }
        next.add(
                ConsentGrant.newBuilder()
                        .setPurpose(event.getPurpose())
                        .setChannel(event.getChannel())
                        .setGranted(event.getGranted())
                        .setAt(at)
                        .setSource(event.getSource())
                        .setExpiresAt(
                                event.getExpiresAt() == null
                                        ? null
                                        : event.getExpiresAt().toEpochMilli())
                        .build());
        return next;
    }

    /** Whether profiling is allowed at {@code now}. */
    public static boolean personalizationAllowed(
            List<ConsentGrant> grants, long now, boolean byDefault) {
        return allows(grants, ConsentPurpose.PERSONALIZATION, null, now, byDefault);
    }

    /** Whether an offer may be sent on {@code channel} at {@code now}. */
    public static boolean marketingAllowed(
            List<ConsentGrant> grants, MessageChannel channel, long now, boolean byDefault) {
        return allows(grants, ConsentPurpose.MARKETING, channel, now, byDefault);
    }

    private static boolean allows(
            List<ConsentGrant> grants,
            ConsentPurpose purpose,
            MessageChannel channel,
            long now,
            boolean byDefault) {
        ConsentGrant deciding = null;
        for (ConsentGrant g : grants) {
            if (g.getPurpose() != purpose) {
                continue;
            }
            if (g.getChannel() != null && g.getChannel() != channel) {
                continue;
            }
            if (g.getExpiresAt() != null && g.getExpiresAt() <= now) {
                continue;
            }
            if (deciding == null || g.getAt() > deciding.getAt()) {
                deciding = g;
            }
        }
        return deciding == null ? byDefault : deciding.getGranted();
    }

    /**
     * The marketing channels allowed at {@code now}, comma-separated in the enum's order (for the
     * profile the storefront reads).
     */
    public static String marketingChannels(List<ConsentGrant> grants, long now, boolean byDefault) {
        StringBuilder out = new StringBuilder();
        for (MessageChannel c : MessageChannel.values()) {
            if (c != MessageChannel.UNKNOWN && marketingAllowed(grants, c, now, byDefault)) {
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(c.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out.toString();
    }
}
