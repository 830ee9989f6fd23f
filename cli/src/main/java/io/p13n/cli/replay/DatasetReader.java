package io.p13n.cli.replay;

import io.p13n.cli.traffic.EventFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads a data set file into events sorted by event time. The files are small (at most a few
 * hundred thousand rows), so everything is held in memory. Bad input does not stop the reading: a
 * malformed line is reported as {@code file:line: reason}, counted and skipped, and bytes that are
 * not UTF-8 are replaced rather than failing the file.
 */
public final class DatasetReader {
    private final Consumer<String> problems;

    /**
     * @param problems receives one message per malformed line
     */
    public DatasetReader(Consumer<String> problems) {
        this.problems = problems;
    }

    /**
     * Reads a file, detecting the format from its first non-blank line.
     *
     * @throws IOException if the file cannot be read, is empty or has a first line no format
     *     accepts
     */
    public Dataset read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads a file in the given format.
     *
     * @param format the file's format; {@code null} to detect it from the first non-blank line
     * @throws IOException if the file cannot be read, or the format is to be detected and cannot be
     */
    public Dataset read(Path file, DatasetFormat format) throws IOException {
        String source = String.valueOf(file.getFileName());
        List<SpecificRecordBase> events = new ArrayList<>();
        long skipped = 0;
        DatasetFormat chosen = format;
        try (BufferedReader reader = open(file)) {
            boolean first = true;
            long lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                if (first) {
                    first = false;
                    if (chosen == null) {
                        chosen = detect(file, line);
                    }
                    if (chosen.isHeader(line)) {
                        continue;
                    }
                }
                try {
                    events.add(chosen.parse(line, source, lineNumber));
                } catch (MalformedLineException e) {
                    skipped++;
                    problems.accept(file + ":" + lineNumber + ": " + e.getMessage());
                }
            }
        }
        if (chosen == null) {
            throw new IOException(file + ": is empty, cannot detect its format");
        }
        events.sort(EventFields.byEventTime());
        return new Dataset(file, chosen, events, skipped);
    }

    private static DatasetFormat detect(Path file, String firstLine) throws IOException {
        return DatasetFormat.detect(firstLine)
                .orElseThrow(
                        () ->
                                new IOException(
                                        file
                                                + ": cannot detect the format from the first line '"
                                                + abbreviate(firstLine)
                                                + "'; pass --format (one of "
                                                + DatasetFormat.names()
                                                + ")"));
    }

    private static BufferedReader open(Path file) throws IOException {
        var decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder));
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
