package io.p13n.cli.replay;

import org.apache.avro.specific.SpecificRecordBase;

/** Turns one data line of a data set file into one event. */
@FunctionalInterface
interface LineParser {
    /**
     * @param line the line without its line terminator
     * @param source the file name, for ids derived from the position of the line
     * @param lineNumber 1-based line number in the file
     */
    SpecificRecordBase parse(String line, String source, long lineNumber)
            throws MalformedLineException;
}
