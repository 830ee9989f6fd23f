package io.p13n.cli.eval;

import io.p13n.cli.replay.Dataset;
import io.p13n.cli.replay.DatasetFormat;
import io.p13n.cli.replay.DatasetReader;
import io.p13n.model.ClickEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A click log as sessions, in the order each session first appears in the file (session-rec's saved
 * lists cover "the first 99 sessions of the test file" in that order; the YooChoose files are
 * sorted by session id, not by time), each session's clicks in time order, and as one time-ordered
 * stream of clicks for training and live replay.
 */
record SessionLog(List<Session> sessions) {

    /** Reads a YooChoose (session-rec) or Diginetica file with the replay's parsers. */
    static SessionLog read(Path file, DatasetFormat format) throws IOException {
        List<String> problems = new ArrayList<>();
        Dataset dataset = new DatasetReader(problems::add).read(file, format);
        if (!problems.isEmpty()) {
            throw new IOException(
                    file + ": " + problems.size() + " malformed lines, first: " + problems.get(0));
        }
        List<ClickEvent> clicks = new ArrayList<>(dataset.events().size());
        for (SpecificRecordBase event : dataset.events()) {
            clicks.add((ClickEvent) event);
        }
        // The reader sorts by event time; its event ids are "<file name>:<line number>", which
        // gives
        // back the file order.
        clicks.sort(Comparator.comparingLong(SessionLog::lineNumber));
        return of(clicks);
    }

    /**
     * Groups clicks by session id, sessions in the order they first appear in {@code clicks}, each
     * session's clicks sorted by time (stably: the given order breaks ties).
     */
    static SessionLog of(List<ClickEvent> clicks) {
        Map<String, List<ClickEvent>> bySession = new LinkedHashMap<>();
        for (ClickEvent click : clicks) {
            bySession.computeIfAbsent(click.getSessionId(), id -> new ArrayList<>()).add(click);
        }
        for (List<ClickEvent> session : bySession.values()) {
            session.sort(Comparator.comparing(ClickEvent::getEventTime));
        }
        List<Session> sessions = new ArrayList<>(bySession.size());
        bySession.forEach((id, list) -> sessions.add(new Session(id, list)));
        return new SessionLog(sessions);
    }

    private static long lineNumber(ClickEvent click) {
        String id = click.getEventId();
        try {
            return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("event id " + id + " is not <file>:<line>", e);
        }
    }

    /** All clicks in time order (stable: the sessions' order breaks ties). */
    List<ClickEvent> clicks() {
        List<ClickEvent> all = new ArrayList<>();
        for (Session s : sessions) {
            all.addAll(s.clicks());
        }
        all.sort(Comparator.comparing(ClickEvent::getEventTime));
        return all;
    }

    Set<String> items() {
        Set<String> items = new HashSet<>();
        for (Session s : sessions) {
            items.addAll(s.items());
        }
        return items;
    }

    int clickCount() {
        int n = 0;
        for (Session s : sessions) {
            n += s.clicks().size();
        }
        return n;
    }

    /**
     * The protocol's test set: only clicks on items seen in training, and only sessions that still
     * have two clicks (one to recommend after, one to predict).
     */
    SessionLog keepItems(Set<String> known) {
        List<Session> kept = new ArrayList<>();
        for (Session s : sessions) {
            List<ClickEvent> clicks = new ArrayList<>();
            for (ClickEvent c : s.clicks()) {
                if (known.contains(c.getProductId())) {
                    clicks.add(c);
                }
            }
            if (clicks.size() >= 2) {
                kept.add(new Session(s.id(), clicks));
            }
        }
        return new SessionLog(kept);
    }

    SessionLog filter(Predicate<Session> keep) {
        return new SessionLog(sessions.stream().filter(keep).toList());
    }

    /** Predictions the protocol makes: every position of every session except the last. */
    int predictionCount() {
        int n = 0;
        for (Session s : sessions) {
            n += s.clicks().size() - 1;
        }
        return n;
    }
}
