package io.p13n.cli.replay;

import io.p13n.model.Channel;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Parsers for the CDNOW purchase histories, where every line is one day's purchase of a customer:
 * it becomes a placed order of one line (product {@code cd}, category {@code music}) dated 00:00
 * UTC of that day. The data has no order ids, so the id is made from customer, date and line
 * number: unique per row and the same on every replay. CDNOW was an online shop, hence channel web.
 */
final class CdnowParsers {
    private CdnowParsers() {}

    /** {@code CDNOW_master.txt}: {@code customerId yyyymmdd numberOfCDs dollarValue}. */
    static OrderEvent master(String line, String source, long lineNumber)
            throws MalformedLineException {
        String[] f =
                Fields.split(
                        line.trim(), "\\s+", 4, "customer id, date, number of CDs, dollar value");
        return order(f[0], f[1], f[2], f[3], lineNumber);
    }

    /** {@code CDNOW_sample.txt}: {@code customerId masterId yyyymmdd numberOfCDs dollarValue}. */
    static OrderEvent sample(String line, String source, long lineNumber)
            throws MalformedLineException {
        String[] f =
                Fields.split(
                        line.trim(),
                        "\\s+",
                        5,
                        "customer id, master id, date, number of CDs, dollar value");
        return order(f[0], f[2], f[3], f[4], lineNumber);
    }

    private static OrderEvent order(
            String customer, String date, String cds, String dollars, long lineNumber)
            throws MalformedLineException {
        Fields.nonNegativeLong(customer, "customer id");
        Instant day = Fields.dateAtMidnightUtc(date, DateTimeFormatter.BASIC_ISO_DATE, "date");
        long count = Fields.nonNegativeLong(cds, "number of CDs");
        double value = Fields.nonNegativeDouble(dollars, "dollar value");
        // A purchase is at least one item; a count of 0 in the data cannot be an empty order.
        int quantity = (int) Math.max(1, Math.min(count, Integer.MAX_VALUE));
        OrderLine line =
                OrderLine.newBuilder()
                        .setProductId("cd")
                        .setCategoryId("music")
                        .setQuantity(quantity)
                        .setUnitPrice(value / quantity)
                        .build();
        return OrderEvent.newBuilder()
                .setOrderId("cdnow-" + customer + "-" + date + "-" + lineNumber)
                .setCustomerId("cdnow-" + customer)
                .setLines(List.of(line))
                .setTotal(value)
                .setCurrency("USD")
                .setStatus(OrderStatus.PLACED)
                .setChannel(Channel.WEB)
                .setEventTime(day)
                .build();
    }
}
