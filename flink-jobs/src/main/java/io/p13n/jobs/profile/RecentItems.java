package io.p13n.jobs.profile;

import java.util.ArrayList;
import java.util.List;

/** Most-recent-first lists of ids with a fixed bound (recently viewed, purchased). */
public final class RecentItems {
    private RecentItems() {}

    /** {@code list} with {@code item} moved (or added) to the front and trimmed to {@code max}. */
    public static List<String> pushFront(List<String> list, String item, int max) {
        if (item == null || item.isEmpty()) {
            return list;
        }
        if (!list.isEmpty() && list.get(0).equals(item)) {
            return list; // the common case of repeated views of one product: nothing to move
        }
        List<String> out = list instanceof ArrayList ? list : new ArrayList<>(list);
        out.remove(item);
        out.add(0, item);
        while (out.size() > max) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
