package io.p13n.cli.replay;

/** A data set line that cannot become an event; the message says why, without file or line. */
final class MalformedLineException extends Exception {
    MalformedLineException(String reason) {
        super(reason, null, false, false);
    }
}
