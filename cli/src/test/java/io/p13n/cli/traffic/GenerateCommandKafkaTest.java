package io.p13n.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.local.EmbeddedKafka;
import io.p13n.cli.testing.TopicReader;
import io.p13n.model.ClickEvent;
import io.p13n.model.OrderEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code generate} end to end against a real in-JVM Kafka broker. */
class GenerateCommandKafkaTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, "gen-clicks", "gen-orders", "gen-catalog");
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void sendsDecodableEventsKeyedByCustomerPlusBadRecords() {
        StringWriter output = new StringWriter();
        CommandLine command = new CommandLine(new GenerateCommand());
        command.setOut(new PrintWriter(output));

        int exitCode =
                command.execute(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--clicks-topic",
                        "gen-clicks",
                        "--orders-topic",
                        "gen-orders",
                        "--catalog-topic",
                        "gen-catalog",
                        "--catalog-change-rate",
                        "0.02",
                        "--rate",
                        "0",
                        "--max-events",
                        "2000",
                        "--bad-record-rate",
                        "0.05",
                        "--customers",
                        "300",
                        "--products",
                        "200",
                        "--categories",
                        "10",
                        "--seed",
                        "9",
                        "--run-id",
                        "it");

        assertThat(exitCode).as(output.toString()).isZero();
        List<ConsumerRecord<String, byte[]>> clicks =
                TopicReader.readAll(kafka.bootstrapServers(), "gen-clicks");
        List<ConsumerRecord<String, byte[]>> orders =
                TopicReader.readAll(kafka.bootstrapServers(), "gen-orders");
        List<ConsumerRecord<String, byte[]>> catalog =
                TopicReader.readAll(kafka.bootstrapServers(), "gen-catalog");
        assertThat(clicks.size() + orders.size() + catalog.size()).isEqualTo(2_000);
        assertThat(orders).isNotEmpty();
        // 2 % of the good records: about 38
        assertThat(catalog).hasSizeBetween(15, 70);
        for (ConsumerRecord<String, byte[]> record : catalog) {
            io.p13n.model.CatalogEvent change;
            try {
                change = io.p13n.model.CatalogEvent.getDecoder().decode(record.value());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertThat(record.key()).isEqualTo(change.getProductId());
            assertThat(change.getEventId()).startsWith("it-c");
            assertThat(change.getPrice()).isPositive();
        }

        Set<String> eventIds = new HashSet<>();
        int bad = 0;
        for (ConsumerRecord<String, byte[]> record : clicks) {
            ClickEvent click;
            try {
                click = ClickEvent.getDecoder().decode(record.value());
            } catch (AvroRuntimeException | java.io.IOException undecodable) {
                bad++;
                continue;
            }
            if (click.getCustomerId().isEmpty()
                    || (click.getPrice() != null && click.getPrice() < 0)) {
                bad++;
                continue;
            }
            assertThat(record.key()).isEqualTo(click.getCustomerId());
            assertThat(click.getEventId()).startsWith("it-e");
            assertThat(eventIds.add(click.getEventId())).isTrue();
        }
        for (ConsumerRecord<String, byte[]> record : orders) {
            assertThat(record.key()).isEqualTo(decodeOrder(record.value()).getCustomerId());
        }
        assertThat(bad).isBetween(50, 160);
        assertThat(output.toString()).contains("Done: 2,000 records sent").contains("0 failed");
    }

    private static OrderEvent decodeOrder(byte[] value) {
        try {
            return OrderEvent.getDecoder().decode(value);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
