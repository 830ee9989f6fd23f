package io.p13n.jobs.testing;

import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.TriggerType;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** Bounded campaign sources for workflow tests. */
public final class CampaignSources {
    private CampaignSources() {}

    /** No live campaign: one that is already ENDED (a bounded source cannot be empty). */
    public static Source<Campaign, ?, ?> none() {
        return of(
                List.of(
                        TestOffers.campaign("none", TriggerType.CART_ABANDONED)
                                .setStatus(CampaignStatus.ENDED)
                                .build()));
    }

    public static Source<Campaign, ?, ?> of(List<Campaign> campaigns) {
        List<Campaign> copy = new ArrayList<>(campaigns);
        return new DataGeneratorSource<>(
                index -> copy.get(index.intValue()),
                copy.size(),
                new AvroTypeInfo<>(Campaign.class));
    }
}
