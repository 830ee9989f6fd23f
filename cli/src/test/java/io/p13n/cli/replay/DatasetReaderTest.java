package io.p13n.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each format on small fixture files, including malformed lines. */
class DatasetReaderTest {
    @TempDir Path dir;
    private final List<String> problems = new ArrayList<>();
    private final DatasetReader reader = new DatasetReader(problems::add);

    @Test
    void sessionRecYoochooseBecomesSortedProductViewsOfAnonymousSessions() throws IOException {
        Path file =
                write(
                        "clicks.txt",
                        "SessionId\tItemId\tTime",
                        "3\t214716935\t1396437466.94",
                        "3\t214832672\t1396438212.318",
                        "6\t214701242\t1396300000",
                        "7\t\t1396300001",
                        "8\t214701242\tyesterday",
                        "9\t214701242",
                        "",
                        "6\t214701243\t1396300000");

        Dataset dataset = reader.read(file);

        assertThat(dataset.format()).isEqualTo(DatasetFormat.YOOCHOOSE);
        assertThat(dataset.skippedLines()).isEqualTo(3);
        assertThat(problems)
                .containsExactly(
                        file + ":5: ItemId is empty",
                        file + ":6: Time 'yesterday' is not a non-negative number of Unix seconds",
                        file + ":7: expected 3 fields (SessionId, ItemId, Time), found 2");
        List<ClickEvent> clicks = clicks(dataset);
        // Sorted by time; the two clicks at the same second keep their file order.
        assertThat(clicks)
                .extracting(ClickEvent::getProductId)
                .containsExactly("214701242", "214701243", "214716935", "214832672");
        ClickEvent first = clicks.get(2);
        assertThat(first.getEventId()).isEqualTo("clicks.txt:2");
        assertThat(first.getCustomerId()).isEqualTo("s3");
        assertThat(first.getSessionId()).isEqualTo("3");
        assertThat(first.getType()).isEqualTo(ClickType.PRODUCT_VIEW);
        assertThat(first.getChannel()).isEqualTo(Channel.WEB);
        assertThat(first.getCategoryId()).isNull();
        assertThat(first.getEventTime()).isEqualTo(Instant.ofEpochMilli(1396437466940L));
    }

    @Test
    void rawYoochooseKeepsKnownCategories() throws IOException {
        Path file =
                write(
                        "yoochoose-clicks.dat",
                        "1,2014-04-07T10:51:09.277Z,214536502,0",
                        "1,2014-04-07T10:54:09.868Z,214536500,S",
                        "2,2014-04-07T13:56:37.614Z,214662742,7",
                        "2,07/04/2014 13:57,214662742,7",
                        "2,2014-04-07T13:58:37.614Z,214662742");

        Dataset dataset = reader.read(file);

        assertThat(dataset.format()).isEqualTo(DatasetFormat.YOOCHOOSE_RAW);
        assertThat(dataset.skippedLines()).isEqualTo(2);
        assertThat(problems)
                .hasSize(2)
                .allMatch(
                        p ->
                                p.startsWith(file + ":4: timestamp")
                                        || p.startsWith(file + ":5: expected 4 fields"));
        assertThat(clicks(dataset))
                .extracting(ClickEvent::getCategoryId)
                .containsExactly(null, "S", "7");
        assertThat(clicks(dataset).get(2).getEventTime()).isEqualTo("2014-04-07T13:56:37.614Z");
        assertThat(clicks(dataset).get(2).getCustomerId()).isEqualTo("s2");
    }

    @Test
    void digineticaUsesUserIdsWhenKnownAndDatePlusTimeframe() throws IOException {
        Path file =
                write(
                        "views.csv",
                        "session_id;user_id;item_id;timeframe;eventdate",
                        "1;NA;81766;526309;2016-05-09",
                        "48;2;24764;8863;2016-04-09",
                        "49;;24765;100;2016-04-09",
                        "50;3;24766;-5;2016-04-09",
                        "51;3;24766;5;2016-02-30");

        Dataset dataset = reader.read(file);

        assertThat(dataset.format()).isEqualTo(DatasetFormat.DIGINETICA);
        assertThat(dataset.skippedLines()).isEqualTo(2);
        assertThat(problems)
                .containsExactly(
                        file + ":5: timeframe '-5' is not a non-negative whole number",
                        file + ":6: eventdate '2016-02-30' is not a date");
        List<ClickEvent> clicks = clicks(dataset);
        assertThat(clicks).extracting(ClickEvent::getCustomerId).containsExactly("s49", "u2", "s1");
        assertThat(clicks).extracting(ClickEvent::getSessionId).containsExactly("49", "48", "1");
        assertThat(clicks.get(1).getEventTime()).isEqualTo("2016-04-09T00:00:08.863Z");
        assertThat(clicks.get(2).getEventTime())
                .isEqualTo(Instant.parse("2016-05-09T00:00:00Z").plusMillis(526309));
    }

    @Test
    void cdnowMasterRowsBecomeOneLineOrders() throws IOException {
        Path file =
                write(
                        "CDNOW_master.txt",
                        " customer_id  date number_of_cds  dollar_value",
                        " 00002 19970112  5   77.00",
                        " 00001 19970101  1   11.77",
                        " 00003 19970101  0    0.00",
                        " 00004 19971301  1   10.00",
                        " 00005 19970101  1   -3.00");

        Dataset dataset = reader.read(file);

        assertThat(dataset.format()).isEqualTo(DatasetFormat.CDNOW_MASTER);
        assertThat(dataset.skippedLines()).isEqualTo(2);
        assertThat(problems)
                .containsExactly(
                        file + ":5: date '19971301' is not a date",
                        file + ":6: dollar value '-3.00' is not a non-negative number");
        List<OrderEvent> orders = orders(dataset);
        assertThat(orders)
                .extracting(OrderEvent::getOrderId)
                .containsExactly(
                        "cdnow-00001-19970101-3",
                        "cdnow-00003-19970101-4",
                        "cdnow-00002-19970112-2");
        OrderEvent five = orders.get(2);
        assertThat(five.getCustomerId()).isEqualTo("cdnow-00002");
        assertThat(five.getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(five.getTotal()).isEqualTo(77.0);
        assertThat(five.getCurrency()).isEqualTo("USD");
        assertThat(five.getEventTime()).isEqualTo("1997-01-12T00:00:00Z");
        assertThat(five.getLines())
                .containsExactly(
                        OrderLine.newBuilder()
                                .setProductId("cd")
                                .setCategoryId("music")
                                .setQuantity(5)
                                .setUnitPrice(15.4)
                                .build());
        // Zero CDs still makes a one-item line.
        assertThat(orders.get(1).getLines().get(0).getQuantity()).isEqualTo(1);
    }

    @Test
    void cdnowSampleRowsCarryTheMasterIdColumn() throws IOException {
        Path file =
                write(
                        "CDNOW_sample.txt",
                        " 00004 0001 19970101  2   29.33",
                        " 00004 0001 19970118  2   29.73",
                        " 00004 0001 19970802  x   14.96",
                        " 00004 0001 19971212  2");

        Dataset dataset = reader.read(file);

        assertThat(dataset.format()).isEqualTo(DatasetFormat.CDNOW_SAMPLE);
        assertThat(dataset.skippedLines()).isEqualTo(2);
        assertThat(problems)
                .containsExactly(
                        file + ":3: number of CDs 'x' is not a non-negative whole number",
                        file
                                + ":4: expected 5 fields (customer id, master id, date, number of CDs, dollar value), found 4");
        assertThat(orders(dataset))
                .extracting(OrderEvent::getOrderId)
                .containsExactly("cdnow-00004-19970101-1", "cdnow-00004-19970118-2");
        assertThat(orders(dataset).get(0).getLines().get(0).getUnitPrice()).isEqualTo(29.33 / 2);
    }

    @Test
    void anExplicitFormatOverridesDetectionAndRejectsOtherLines() throws IOException {
        Path file =
                write("odd.txt", " 00004 0001 19970101  2   29.33", " 00001 19970101  1   11.77");

        Dataset dataset = reader.read(file, DatasetFormat.CDNOW_MASTER);

        assertThat(dataset.events()).hasSize(1);
        assertThat(dataset.skippedLines()).isEqualTo(1);
        assertThat(problems).singleElement().asString().startsWith(file + ":1: expected 4 fields");
    }

    @Test
    void anUnknownFirstLineOrAnEmptyFileCannotBeDetected() throws IOException {
        Path unknown =
                write("recoms.csv", "SessionId;Position;Recommendations;Scores", "1;0;2,3;1.0,0.5");
        Path empty = write("empty.txt", "", "  ");

        assertThatThrownBy(() -> reader.read(unknown))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot detect the format")
                .hasMessageContaining("--format");
        assertThatThrownBy(() -> reader.read(empty))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("empty");
        assertThat(reader.read(empty, DatasetFormat.YOOCHOOSE).events()).isEmpty();
    }

    @Test
    void bytesThatAreNotUtf8OnlySpoilTheirLine() throws IOException {
        Path file = dir.resolve("latin1.txt");
        byte[] bad =
                "SessionId\tItemId\tTime\n1\t42\t100\n2\t4\u00e92\t101\n"
                        .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, bad);

        Dataset dataset = reader.read(file);

        assertThat(dataset.events()).hasSize(2);
        assertThat(clicks(dataset).get(1).getProductId()).isEqualTo("4\uFFFD2");
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    private static List<ClickEvent> clicks(Dataset dataset) {
        return cast(dataset.events(), ClickEvent.class);
    }

    private static List<OrderEvent> orders(Dataset dataset) {
        return cast(dataset.events(), OrderEvent.class);
    }

    private static <T> List<T> cast(List<SpecificRecordBase> events, Class<T> type) {
        assertThat(events).allMatch(type::isInstance);
        return events.stream().map(type::cast).toList();
    }
}
