package io.p13n.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.local.EmbeddedKafka;
import io.p13n.cli.testing.TopicReader;
import io.p13n.model.ClickEvent;
import io.p13n.model.OrderEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code replay} end to end against a real in-JVM Kafka broker. */
class ReplayCommandKafkaTest {
    private static EmbeddedKafka kafka;

    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        // One partition each, so that what is read back is in send order.
        kafka.createTopics(1, "rp-clicks", "rp-orders", "rp-now-clicks", "rp-now-orders");
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void replaysFilesMergedInEventTimeOrderKeyedByCustomer() throws Exception {
        Path clicks =
                write(
                        "clicks.txt",
                        "SessionId\tItemId\tTime",
                        "5\t100\t1396400000.5",
                        "5\t101\t1396400060",
                        "2\t102\t1396300000",
                        "2\t103\tnot-a-time",
                        "9\t104\t1396350000.25");
        Path orders =
                write(
                        "CDNOW_sample.txt",
                        " 00007 0001 19970301  1   10.00",
                        " 00003 0002 19970101  2   20.00");

        int exitCode =
                run(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--clicks-topic",
                        "rp-clicks",
                        "--orders-topic",
                        "rp-orders",
                        clicks.toString(),
                        orders.toString());

        assertThat(exitCode).as(out + "\n" + err).isZero();
        List<ClickEvent> sentClicks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record :
                TopicReader.readAll(kafka.bootstrapServers(), "rp-clicks")) {
            ClickEvent click = ClickEvent.getDecoder().decode(record.value());
            assertThat(record.key()).isEqualTo(click.getCustomerId());
            sentClicks.add(click);
        }
        assertThat(sentClicks)
                .extracting(ClickEvent::getProductId)
                .containsExactly("102", "104", "100", "101");
        assertThat(sentClicks)
                .extracting(ClickEvent::getCustomerId)
                .containsExactly("s2", "s9", "s5", "s5");
        assertThat(sentClicks.get(2).getEventTime())
                .isEqualTo(Instant.ofEpochMilli(1396400000500L));

        List<OrderEvent> sentOrders = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record :
                TopicReader.readAll(kafka.bootstrapServers(), "rp-orders")) {
            OrderEvent order = OrderEvent.getDecoder().decode(record.value());
            assertThat(record.key()).isEqualTo(order.getCustomerId());
            sentOrders.add(order);
        }
        assertThat(sentOrders)
                .extracting(OrderEvent::getCustomerId)
                .containsExactly("cdnow-00003", "cdnow-00007");

        assertThat(out.toString())
                .contains("Sent 6 events")
                .contains("1 malformed lines skipped")
                .containsPattern("PRODUCT_VIEW\\s+4")
                .containsPattern("ORDER_PLACED\\s+2");
        assertThat(err.toString()).contains(clicks + ":5: Time 'not-a-time'");
    }

    @Test
    void limitsAndShiftsToNow() throws Exception {
        Path clicks =
                write(
                        "clicks.txt",
                        "SessionId\tItemId\tTime",
                        "1\t10\t1396300000",
                        "1\t11\t1396300030",
                        "1\t12\t1396300090",
                        "1\t13\t1396300100");

        Instant before = Instant.now();
        int exitCode =
                run(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--clicks-topic",
                        "rp-now-clicks",
                        "--orders-topic",
                        "rp-now-orders",
                        "--format",
                        "yoochoose",
                        "--limit",
                        "3",
                        "--shift-to-now",
                        clicks.toString());
        Instant after = Instant.now();

        assertThat(exitCode).as(out + "\n" + err).isZero();
        List<ClickEvent> sent = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record :
                TopicReader.readAll(kafka.bootstrapServers(), "rp-now-clicks")) {
            sent.add(ClickEvent.getDecoder().decode(record.value()));
        }
        assertThat(sent).extracting(ClickEvent::getProductId).containsExactly("10", "11", "12");
        Instant last = sent.get(2).getEventTime();
        assertThat(last).isBetween(before.minusMillis(1), after);
        assertThat(Duration.between(sent.get(0).getEventTime(), last))
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void rejectsAnUnknownFormatName() throws Exception {
        Path clicks = write("clicks.txt", "1\t10\t1396300000");

        int exitCode =
                run(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--format",
                        "parquet",
                        clicks.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("unknown format 'parquet'");
    }

    @Test
    void failsOnAFileWhoseFormatCannotBeDetected() throws Exception {
        Path recoms = write("recoms.csv", "SessionId;Position;Recommendations;Scores");

        int exitCode = run("--bootstrap-servers", kafka.bootstrapServers(), recoms.toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).contains("cannot detect the format");
    }

    private int run(String... args) {
        CommandLine command = new CommandLine(new ReplayCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }
}
