package io.p13n.cli.replay;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The data set file formats the replay understands: how to recognise a header line, how to turn a
 * data line into an event, and how to tell the format from a file's first line.
 */
public enum DatasetFormat {
    /**
     * session-rec's YooChoose (RecSys Challenge 2015) files: {@code SessionId ItemId Time},
     * tab-separated.
     */
    YOOCHOOSE("yoochoose", "\t", "SessionId", ClickLogParsers::sessionRec),
    /**
     * The original {@code yoochoose-clicks.dat}: {@code session,timestamp,item,category}, no
     * header.
     */
    YOOCHOOSE_RAW("yoochoose-raw", ",", null, ClickLogParsers::yoochooseRaw),
    /** Diginetica item views: {@code session_id;user_id;item_id;timeframe;eventdate}. */
    DIGINETICA("diginetica", ";", "session_id", ClickLogParsers::diginetica),
    /**
     * {@code CDNOW_master.txt}: {@code customerId yyyymmdd numberOfCDs dollarValue},
     * whitespace-separated.
     */
    CDNOW_MASTER("cdnow-master", "\\s+", "customer_id", CdnowParsers::master),
    /**
     * {@code CDNOW_sample.txt}: {@code customerId masterId yyyymmdd numberOfCDs dollarValue}, no
     * header.
     */
    CDNOW_SAMPLE("cdnow-sample", "\\s+", null, CdnowParsers::sample);

    private final String cliName;
    private final String separator;
    private final String headerFirstField;
    private final LineParser parser;

    DatasetFormat(String cliName, String separator, String headerFirstField, LineParser parser) {
        this.cliName = cliName;
        this.separator = separator;
        this.headerFirstField = headerFirstField;
        this.parser = parser;
    }

    /** The name used on the command line, e.g. {@code cdnow-sample}. */
    public String cliName() {
        return cliName;
    }

    /** The format with this command-line name, ignoring case. */
    public static DatasetFormat byName(String name) {
        return Arrays.stream(values())
                .filter(format -> format.cliName.equalsIgnoreCase(name.trim()))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown format '"
                                                + name
                                                + "'; expected auto or one of "
                                                + names()));
    }

    /** The command-line names of all formats, comma-separated. */
    public static String names() {
        return Arrays.stream(values())
                .map(DatasetFormat::cliName)
                .collect(Collectors.joining(", "));
    }

    /**
     * The format whose header this line is or whose data line it parses as: every format has a
     * different separator or field count, so at most one accepts a given line.
     */
    public static Optional<DatasetFormat> detect(String firstLine) {
        return Arrays.stream(values())
                .filter(format -> format.isHeader(firstLine) || format.parses(firstLine))
                .findFirst();
    }

    /** Whether the line is this format's column header, which the reader skips. */
    boolean isHeader(String line) {
        if (headerFirstField == null) {
            return false;
        }
        String first = line.trim().split(separator, 2)[0].trim();
        return first.toLowerCase(Locale.ROOT).equals(headerFirstField.toLowerCase(Locale.ROOT));
    }

    SpecificRecordBase parse(String line, String source, long lineNumber)
            throws MalformedLineException {
        return parser.parse(line, source, lineNumber);
    }

    private boolean parses(String line) {
        try {
            parser.parse(line, "detect", 1);
            return true;
        } catch (MalformedLineException e) {
            return false;
        }
    }
}
