package io.p13n.cli.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.local.EmbeddedKafka;
import io.p13n.jobs.churn.BgNbdParameters;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.serde.AvroEventSerializer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code churn fit --orders-topic} against a real in-JVM Kafka broker. */
class ChurnFitKafkaTest {
    private static final LocalDate START = LocalDate.of(2024, 1, 1);
    private static EmbeddedKafka kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, "churn-orders");
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    /**
     * 2,000 customers buying at random (Poisson purchases while alive, dropout after each repeat
     * purchase, as the model assumes) over a year, plus bad values, cancellations and refunds.
     */
    @Test
    void fitsTheOrdersOnTheTopicSkippingWhatIsNotAPlacedOrder() throws Exception {
        long placedDays = 0;
        int customers = 2_000;
        Random random = new Random(11);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (int c = 0; c < customers; c++) {
                String id = "customer-" + c;
                double rate =
                        -Math.log(1 - random.nextDouble())
                                * 0.3; // purchases per week, exponential across customers
                double dropout = 0.1 + 0.4 * random.nextDouble();
                int firstDay = random.nextInt(90);
                double week = firstDay / 7.0;
                int lastDay = -1;
                send(producer, order(id, firstDay, OrderStatus.PLACED));
                send(
                        producer,
                        order(
                                id,
                                firstDay,
                                OrderStatus.PLACED)); // a second order that day: one purchase
                placedDays++;
                lastDay = firstDay;
                while (true) {
                    week += -Math.log(1 - random.nextDouble()) / rate;
                    int day = (int) Math.floor(week * 7);
                    if (day >= 365) {
                        break;
                    }
                    send(producer, order(id, day, OrderStatus.PLACED));
                    if (day != lastDay) {
                        placedDays++;
                    }
                    lastDay = day;
                    if (random.nextDouble() < dropout) {
                        break;
                    }
                }
                if (c % 100 == 0) {
                    // a cancelled and a refunded order: no purchase days
                    send(producer, order(id, 200, OrderStatus.CANCELLED));
                    send(producer, order(id, 201, OrderStatus.REFUNDED));
                }
            }
            producer.send(new ProducerRecord<>("churn-orders", "junk", new byte[] {1, 2, 3}));
            producer.send(new ProducerRecord<>("churn-orders", "tombstone", null));
            producer.send(new ProducerRecord<>("churn-orders", "junk", "not avro".getBytes()));
            producer.flush();
        }

        Path params = dir.resolve("bgnbd.properties");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ChurnCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode =
                cli.execute(
                        "fit",
                        "--orders-topic",
                        "churn-orders",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--calibration-end",
                        START.plusDays(364).toString(),
                        "--output",
                        params.toString());

        assertThat(exitCode).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("3 undecodable skipped")
                .contains("40 not counted")
                .contains(String.format("%,d customers", customers))
                .contains(String.format("%,d repeat purchase days", placedDays - customers))
                .doesNotContain("published");
        assertThat(err.toString()).contains("Reading").contains("records from churn-orders");
        BgNbdParameters fitted = BgNbdParameters.load(params);
        // rates across customers are exponential, i.e. Gamma(r = 1, alpha = 1/0.3 weeks): mean
        // 0.3/week;
        // dropout uniform on [0.1, 0.5]: mean 0.3 (whole-day times and 2,000 customers: loose
        // bounds)
        assertThat(fitted.r()).isBetween(0.7, 1.3);
        assertThat(fitted.r() / fitted.alpha()).isBetween(0.22, 0.38);
        assertThat(fitted.a() / (fitted.a() + fitted.b())).isBetween(0.2, 0.4);
    }

    private static OrderEvent order(String customer, int day, OrderStatus status) {
        return OrderEvent.newBuilder()
                .setOrderId(customer + "-" + day + "-" + status + "-" + System.nanoTime())
                .setCustomerId(customer)
                .setStatus(status)
                .setTotal(25)
                .setEventTime(
                        START.plusDays(day)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .plusSeconds(3600))
                .build();
    }

    private static void send(KafkaProducer<String, byte[]> producer, OrderEvent order) {
        producer.send(
                new ProducerRecord<>(
                        "churn-orders",
                        order.getCustomerId().toString(),
                        AvroEventSerializer.encode(order)));
    }
}
