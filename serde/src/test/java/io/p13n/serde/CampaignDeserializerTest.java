package io.p13n.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.Audience;
import io.p13n.model.Budget;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.Reward;
import io.p13n.model.RewardType;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CampaignDeserializerTest {
    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(
                "campaigns", 0, 0L, "x".getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void shouldDecodeCampaignsAndSkipEverythingElse() {
        Campaign campaign =
                Campaign.newBuilder()
                        .setId("x")
                        .setVersion(3)
                        .setStatus(CampaignStatus.PAUSED)
                        .setTrigger(TriggerType.WIN_BACK)
                        .setAudience(Audience.newBuilder().build())
                        .setReward(new Reward(RewardType.PERCENT, 10.0, 0.0, 14, null))
                        .setBudget(new Budget(100L, null))
                        .build();
        List<Campaign> out = new ArrayList<>();
        Collector<Campaign> collector =
                new Collector<>() {
                    @Override
                    public void collect(Campaign record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                };
        CampaignDeserializer deserializer = new CampaignDeserializer();

        deserializer.deserialize(record(AvroEventSerializer.encode(campaign)), collector);
        deserializer.deserialize(record(null), collector);
        deserializer.deserialize(record("garbage".getBytes(StandardCharsets.UTF_8)), collector);
        deserializer.deserialize(
                record(AvroEventSerializer.encode(TestEvents.placed("c1", TestEvents.T0, 5))),
                collector);

        assertThat(out).containsExactly(campaign);
    }

    @Test
    void aCampaignWrittenBeforeTheChannelFieldDecodesAsAnOnsiteCampaign() throws Exception {
        Campaign campaign =
                Campaign.newBuilder()
                        .setId("old")
                        .setTrigger(TriggerType.WIN_BACK)
                        .setAudience(Audience.newBuilder().build())
                        .setReward(new Reward(RewardType.PERCENT, 10.0, 0.0, 14, null))
                        .setBudget(new Budget(100L, null))
                        .build();
        org.apache.avro.Schema v1 =
                SchemaHistory.writerSchemasOf(Campaign.getClassSchema().getFullName()).get(0);
        assertThat(v1.getField("channel")).as("the released schema had no channel").isNull();
        org.apache.avro.generic.GenericData.Record old =
                new org.apache.avro.generic.GenericData.Record(v1);
        for (org.apache.avro.Schema.Field field : v1.getFields()) {
            old.put(field.name(), campaign.get(field.name()));
        }
        byte[] bytes =
                new org.apache.avro.message.BinaryMessageEncoder<
                                org.apache.avro.generic.GenericRecord>(
                                org.apache.avro.generic.GenericData.get(), v1)
                        .encode(old)
                        .array();

        Campaign decoded = new CampaignDeserializer().decode(bytes);

        assertThat(decoded).isEqualTo(campaign);
        assertThat(decoded.getChannel()).isEqualTo(io.p13n.model.MessageChannel.ONSITE);
    }
}
