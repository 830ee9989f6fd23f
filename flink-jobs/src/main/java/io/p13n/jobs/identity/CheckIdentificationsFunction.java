package io.p13n.jobs.identity;

import io.p13n.config.IdentitySurvivor;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.SourceRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The merge rules applied to every identification before it joins the event stream (README,
 * Identity merge): one naming a placeholder id ({@code identity.junk-ids}) or coming from a source
 * not trusted to merge ({@code identity.trusted-sources}) is dropped and counted ({@code
 * p13n.identity.identificationsRefused} by reason), never failing the job; one that passes is
 * oriented so that {@code anonymousId} is the id merged away and {@code customerId} the one that
 * survives ({@code identity.surviving-id}). Dead letters (malformed identifications) pass on to the
 * dead-letter topic. Stateless, and on the identities stream only: the clicks never pay for it.
 */
public class CheckIdentificationsFunction extends ProcessFunction<SourceRecord, SourceRecord> {
    private static final long serialVersionUID = 1L;

    private final IdentitySettings settings;

    private transient Counter junk;
    private transient Counter untrusted;
    private transient Counter accepted;

    public CheckIdentificationsFunction(IdentitySettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group =
                getRuntimeContext().getMetricGroup().addGroup("p13n").addGroup("identity");
        junk = group.addGroup("reason", "JUNK_ID").counter("identificationsRefused");
        untrusted = group.addGroup("reason", "UNTRUSTED_SOURCE").counter("identificationsRefused");
        accepted = group.counter("identificationsAccepted");
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<SourceRecord> out) {
        if (!(record.getPayload() instanceof IdentifyEvent identify)) {
            out.collect(record); // a dead letter
            return;
        }
        if (settings.isJunk(identify.getAnonymousId())
                || settings.isJunk(identify.getCustomerId())) {
            junk.inc();
            return;
        }
        if (!settings.trusts(identify.getSource())) {
            untrusted.inc();
            return;
        }
        accepted.inc();
        if (settings.survivor() == IdentitySurvivor.ANONYMOUS) {
            String anonymous = identify.getAnonymousId();
            identify.setAnonymousId(identify.getCustomerId());
            identify.setCustomerId(anonymous);
        }
        out.collect(record);
    }
}
