package io.p13n.jobs.identity;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.config.IdentitySurvivor;
import io.p13n.model.DeadLetter;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.SourceRecord;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The merge rules applied to identifications before they join the events. */
class CheckIdentificationsFunctionTest {
    private static IdentifyEvent identify(String anonymous, String known, String source) {
        return IdentifyEvent.newBuilder()
                .setEventId("id-" + anonymous + "-" + known)
                .setAnonymousId(anonymous)
                .setCustomerId(known)
                .setSource(source)
                .setEventTime(T0)
                .build();
    }

    private static List<Object> passed(IdentitySettings settings, Object... payloads)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<SourceRecord, SourceRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new CheckIdentificationsFunction(settings))) {
            for (Object payload : payloads) {
                harness.processElement(new SourceRecord(payload), T0.toEpochMilli());
            }
            return harness.extractOutputValues().stream().map(SourceRecord::getPayload).toList();
        }
    }

    @Test
    void shouldPassATrustedIdentificationOfRealIds() throws Exception {
        IdentifyEvent login = identify("anon-1", "cust-1", "login");

        assertThat(passed(IdentitySettings.defaults(), login)).containsExactly(login);
    }

    @Test
    void shouldRefuseJunkIdsOnEitherSideIgnoringCase() throws Exception {
        assertThat(
                        passed(
                                IdentitySettings.defaults(),
                                identify("0", "cust-1", "login"),
                                identify("Anonymous", "cust-1", "login"),
                                identify("anon-1", "undefined", "checkout"),
                                identify("anon-1", " NULL ", "pos")))
                .isEmpty();
    }

    @Test
    void shouldRefuseAnUntrustedSource() throws Exception {
        assertThat(
                        passed(
                                IdentitySettings.defaults(),
                                identify("anon-1", "cust-1", "newsletter-link"),
                                identify("anon-1", "cust-1", "")))
                .isEmpty();
        assertThat(passed(IdentitySettings.defaults(), identify("anon-1", "cust-1", "POS")))
                .hasSize(1);
    }

    @Test
    void shouldUseTheConfiguredJunkListAndSources() throws Exception {
        IdentitySettings settings =
                new IdentitySettings(IdentitySurvivor.KNOWN, List.of("nobody"), List.of("sso"), 5);

        assertThat(passed(settings, identify("nobody", "cust-1", "sso"))).isEmpty();
        assertThat(passed(settings, identify("0", "cust-1", "sso"))).hasSize(1);
        assertThat(passed(settings, identify("anon-1", "cust-1", "login"))).isEmpty();
    }

    @Test
    void shouldTurnTheIdsRoundWhenTheAnonymousIdSurvives() throws Exception {
        IdentitySettings settings =
                new IdentitySettings(IdentitySurvivor.ANONYMOUS, List.of(), List.of("login"), 20);

        IdentifyEvent out =
                (IdentifyEvent) passed(settings, identify("device-1", "cust-1", "login")).get(0);

        assertThat(out.getAnonymousId()).as("the id merged away").isEqualTo("cust-1");
        assertThat(out.getCustomerId()).as("the id that keeps the profile").isEqualTo("device-1");
    }

    @Test
    void shouldPassDeadLettersOnToTheDeadLetterTopic() throws Exception {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setTopic("identities")
                        .setPartition(0)
                        .setOffset(1)
                        .setReason("missing customerId")
                        .build();

        assertThat(passed(IdentitySettings.defaults(), letter)).containsExactly(letter);
    }
}
