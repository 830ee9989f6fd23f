package io.p13n.cli.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p13n.config.EngineConfig;
import io.p13n.jobs.Uids;
import io.p13n.jobs.WorkflowSettings;
import io.p13n.jobs.offers.ActiveOffersFunction;
import io.p13n.jobs.offers.OfferTriggerFunction;
import io.p13n.jobs.profile.CustomerProfileFunction;
import io.p13n.jobs.recommend.ItemViewsFunction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Everything the job's keyed state holds about one customer, from a savepoint or retained
 * checkpoint, as JSON (State Processor API): the profile, the session trail, the offer stage's caps
 * and anniversaries, and the offer ledger. For access and portability requests; it reads the whole
 * state of each operator, so it is an offline tool, not a lookup.
 *
 * <p>Left out: the recommendation stage's fingerprint (a hash of the profile's ranking inputs,
 * nothing of its own), the entrance's suppression list (hashes, not ids) and item-level state
 * (aggregates without customer ids).
 */
public final class SavepointExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineConfig config;
    private final WorkflowSettings settings;

    public SavepointExport(EngineConfig config) {
        this.config = config;
        this.settings = WorkflowSettings.from(config);
    }

    /** One object per state: its value as JSON, or null when the state holds nothing for them. */
    public ObjectNode export(String path, String customerId) throws RebuildException {
        String location = SavepointRebuild.checkLocation(path);
        StreamExecutionEnvironment env = SavepointRebuild.localEnvironment(config);
        // One reader (the whole state is scanned either way; the output is one record per state).
        env.setParallelism(1);
        SavepointReader savepoint;
        try {
            savepoint = SavepointReader.read(env, location, SavepointRebuild.stateBackend(config));
        } catch (Exception e) {
            throw new RebuildException(
                    "Cannot read the savepoint at " + path + ": " + SavepointRebuild.rootMessage(e),
                    e);
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("source", path);
        state.set(
                "profile",
                read(
                        savepoint,
                        path,
                        Uids.CUSTOMER_PROFILE,
                        CustomerProfileFunction.profileDescriptor(settings.customerTtl()),
                        customerId));
        state.set(
                "sessionTrail",
                read(
                        savepoint,
                        path,
                        Uids.ITEM_VIEWS,
                        ItemViewsFunction.trailDescriptor(),
                        customerId));
        state.set(
                "offerMoments",
                read(
                        savepoint,
                        path,
                        Uids.OFFER_TRIGGERS,
                        OfferTriggerFunction.customerStateDescriptor(settings.offers()),
                        customerId));
        state.set(
                "offerLedger",
                read(
                        savepoint,
                        path,
                        Uids.ACTIVE_OFFERS,
                        ActiveOffersFunction.ledgerDescriptor(settings.offers()),
                        customerId));
        return state;
    }

    private <T extends SpecificRecordBase> JsonNode read(
            SavepointReader savepoint,
            String path,
            String uid,
            ValueStateDescriptor<T> descriptor,
            String customerId)
            throws RebuildException {
        DataStream<String> stream;
        try {
            stream =
                    savepoint.readKeyedState(
                            OperatorIdentifier.forUid(uid),
                            new KeyedValueReader<T, String>(
                                    descriptor,
                                    // Every key emits (empty for the others): when only the
                                    // customer's key emitted, the collected result lost that one
                                    // record now and then (ErasureITCase, the same savepoint read
                                    // three times gave three different subsets; cause in Flink's
                                    // collect path not found). With every key emitting, 3 of 3.
                                    (key, value) ->
                                            key.equals(customerId)
                                                    ? GenericData.get().toString(value)
                                                    : ""),
                            Types.STRING,
                            Types.STRING);
        } catch (IOException e) {
            throw new RebuildException(
                    path
                            + " is not a savepoint of this job: it holds no state for operator uid '"
                            + uid
                            + "'",
                    e);
        }
        List<String> values = new ArrayList<>(1);
        try (CloseableIterator<String> it =
                stream.executeAndCollect("Export: read " + uid + " from " + path)) {
            it.forEachRemaining(
                    v -> {
                        if (!v.isEmpty()) {
                            values.add(v);
                        }
                    });
        } catch (Exception e) {
            throw new RebuildException(
                    "Reading state '"
                            + descriptor.getName()
                            + "' of operator '"
                            + uid
                            + "' from "
                            + path
                            + " failed: "
                            + SavepointRebuild.rootMessage(e),
                    e);
        }
        if (values.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(values.get(0));
        } catch (IOException e) {
            // Avro's rendering is JSON for these types; should one not parse, keep it as text.
            return JSON.getNodeFactory().textNode(values.get(0));
        }
    }
}
