package io.p13n.cli.replay;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Parsers for session click logs, where every line is one product view in an anonymous (or
 * sometimes logged-in) session. Event ids are {@code <file name>:<line number>}: stable across
 * replays of the same file, and distinct even for the few rows that repeat exactly (the YooChoose
 * sample has one), which session-based evaluations count as two clicks. Channel is web: both data
 * sets are logs of shop web sites.
 */
final class ClickLogParsers {
    private ClickLogParsers() {}

    /**
     * session-rec's YooChoose files: {@code SessionId<TAB>ItemId<TAB>Time}, Time in Unix seconds.
     */
    static ClickEvent sessionRec(String line, String source, long lineNumber)
            throws MalformedLineException {
        String[] f = Fields.split(line, "\t", 3, "SessionId, ItemId, Time");
        String session = Fields.token(f[0], "SessionId");
        return view(
                source,
                lineNumber,
                "s" + session,
                session,
                Fields.token(f[1], "ItemId"),
                null,
                Fields.epochSeconds(f[2], "Time"));
    }

    /**
     * The original YooChoose {@code yoochoose-clicks.dat}: {@code session,timestamp,item,category}.
     * Category {@code 0} means "not known" in that data set and becomes no category, so that all
     * uncategorised items do not look like one big category.
     */
    static ClickEvent yoochooseRaw(String line, String source, long lineNumber)
            throws MalformedLineException {
        String[] f = Fields.split(line, ",", 4, "session, timestamp, item, category");
        String session = Fields.token(f[0], "session");
        String category = f[3].isEmpty() || f[3].equals("0") ? null : f[3];
        return view(
                source,
                lineNumber,
                "s" + session,
                session,
                Fields.token(f[2], "item"),
                category,
                Fields.isoInstant(f[1], "timestamp"));
    }

    /**
     * Diginetica (CIKM Cup 2016) item views: {@code
     * session_id;user_id;item_id;timeframe;eventdate}. Logged-in users become {@code u<user_id>},
     * anonymous sessions ({@code user_id} empty or {@code NA}) {@code s<session_id>}; the time is
     * the date at 00:00 UTC plus timeframe milliseconds.
     */
    static ClickEvent diginetica(String line, String source, long lineNumber)
            throws MalformedLineException {
        String[] f =
                Fields.split(line, ";", 5, "session_id, user_id, item_id, timeframe, eventdate");
        String session = Fields.token(f[0], "session_id");
        boolean anonymous = f[1].isEmpty() || f[1].equals("NA");
        Instant day = Fields.dateAtMidnightUtc(f[4], DateTimeFormatter.ISO_LOCAL_DATE, "eventdate");
        Instant time = day.plus(Duration.ofMillis(Fields.nonNegativeLong(f[3], "timeframe")));
        return view(
                source,
                lineNumber,
                anonymous ? "s" + session : "u" + f[1],
                session,
                Fields.token(f[2], "item_id"),
                null,
                time);
    }

    private static ClickEvent view(
            String source,
            long lineNumber,
            String customerId,
            String sessionId,
            String productId,
            String categoryId,
            Instant time) {
        return ClickEvent.newBuilder()
                .setEventId(source + ":" + lineNumber)
                .setCustomerId(customerId)
                .setSessionId(sessionId)
                .setType(ClickType.PRODUCT_VIEW)
                .setProductId(productId)
                .setCategoryId(categoryId)
                .setChannel(Channel.WEB)
                .setEventTime(time)
                .build();
    }
}
