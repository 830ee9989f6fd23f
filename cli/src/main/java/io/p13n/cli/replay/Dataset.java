package io.p13n.cli.replay;

import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The events read from one data set file, in event-time order (rows with equal times keep their
 * file order), and how many lines could not be used.
 *
 * @param file the file read
 * @param format its format, given or detected
 * @param events clicks or orders, sorted by event time
 * @param skippedLines malformed lines, each reported when read; blank lines and the header are not
 *     counted
 */
public record Dataset(
        Path file, DatasetFormat format, List<SpecificRecordBase> events, long skippedLines) {}
