package io.p13n.cli.eval;

import io.p13n.model.ClickEvent;
import java.util.ArrayList;
import java.util.List;

/** One session of a click log: its product clicks in time order. */
record Session(String id, List<ClickEvent> clicks) {
    Session {
        clicks = List.copyOf(clicks);
    }

    List<String> items() {
        List<String> items = new ArrayList<>(clicks.size());
        for (ClickEvent click : clicks) {
            items.add(click.getProductId());
        }
        return items;
    }

    long startTime() {
        return clicks.get(0).getEventTime().toEpochMilli();
    }

    long endTime() {
        return clicks.get(clicks.size() - 1).getEventTime().toEpochMilli();
    }
}
