package io.p13n.jobs.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.ConsentEvent;
import io.p13n.model.ConsentGrant;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.MessageChannel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentsTest {
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    static ConsentEvent marketing(MessageChannel channel, boolean granted, long minutes) {
        return ConsentEvent.newBuilder()
                .setEventId("m-" + channel + "-" + granted + "-" + minutes)
                .setCustomerId("c1")
                .setPurpose(ConsentPurpose.MARKETING)
                .setChannel(channel)
                .setGranted(granted)
                .setSource("test")
                .setEventTime(T0.plusSeconds(60 * minutes))
                .build();
    }

    private static long at(long minutes) {
        return T0.plusSeconds(60 * minutes).toEpochMilli();
    }

    @Test
    void theNewerOfTheChannelsOwnAndTheEveryChannelDecisionDecides() {
        List<ConsentGrant> g = List.of();
        g = Consents.record(g, marketing(MessageChannel.EMAIL, true, 0));
        g = Consents.record(g, marketing(null, false, 1)); // withdraw all marketing
        assertThat(Consents.marketingAllowed(g, MessageChannel.EMAIL, at(2), true)).isFalse();

        g = Consents.record(g, marketing(MessageChannel.EMAIL, true, 3)); // email again
        assertThat(Consents.marketingAllowed(g, MessageChannel.EMAIL, at(4), false)).isTrue();
        assertThat(Consents.marketingAllowed(g, MessageChannel.SMS, at(4), true))
                .as("still withdrawn for every other channel")
                .isFalse();
        assertThat(Consents.marketingChannels(g, at(4), true)).isEqualTo("email");
        assertThat(g).as("one decision per purpose and channel").hasSize(2);
    }

    @Test
    void anOlderDecisionArrivingLateDoesNotReplaceANewerOne() {
        List<ConsentGrant> g = Consents.record(List.of(), marketing(MessageChannel.SMS, false, 5));
        List<ConsentGrant> after = Consents.record(g, marketing(MessageChannel.SMS, true, 1));

        assertThat(after).isSameAs(g);
        assertThat(Consents.marketingAllowed(after, MessageChannel.SMS, at(6), true)).isFalse();
    }

    @Test
    void withoutADecisionOrOnceItExpiredTheDefaultApplies() {
        assertThat(Consents.marketingAllowed(List.of(), MessageChannel.PUSH, at(0), false))
                .isFalse();
        assertThat(Consents.personalizationAllowed(List.of(), at(0), true)).isTrue();

        ConsentEvent expiring =
                ConsentEvent.newBuilder(marketing(MessageChannel.PUSH, true, 0))
                        .setExpiresAt(T0.plusSeconds(3600))
                        .build();
        List<ConsentGrant> g = Consents.record(List.of(), expiring);
        assertThat(Consents.marketingAllowed(g, MessageChannel.PUSH, at(59), false)).isTrue();
        assertThat(Consents.marketingAllowed(g, MessageChannel.PUSH, at(60), false))
                .as("expired: the opt-in default again")
                .isFalse();
    }

    @Test
    void personalizationIsItsOwnPurpose() {
        ConsentEvent denied =
                ConsentEvent.newBuilder(marketing(null, false, 0))
                        .setPurpose(ConsentPurpose.PERSONALIZATION)
                        .build();
        List<ConsentGrant> g = Consents.record(List.of(), denied);

        assertThat(Consents.personalizationAllowed(g, at(1), true)).isFalse();
        assertThat(Consents.marketingAllowed(g, MessageChannel.EMAIL, at(1), true)).isTrue();
    }
}
