package io.p13n.jobs.privacy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The suppression list of erased customers: a 64-bit hash of each erased id with the processing
 * time its suppression ends, in the entrance stage's broadcast state (every subtask holds all of
 * it, so an event is checked where it enters, before any keyed stage could recreate state).
 *
 * <p>A hash, not the id, so a checkpoint holds no erased id in the clear. It is not a secret: an
 * unsalted hash of a guessable id can be confirmed by whoever holds the checkpoint, so checkpoints
 * stay personal data and are protected as such (README, Privacy and security). A collision
 * suppresses a customer who was not erased with probability about n / 2^64 (n erased ids): never,
 * in practice.
 *
 * <p>Bound: at most {@code max} entries (~70 heap bytes each on every subtask, 16 bytes each in
 * every subtask's checkpoint); expired entries are dropped whenever a request arrives, and when the
 * list is still full the entries closest to their end go first.
 */
public final class ErasedIds {
    /** State name and descriptor: stable, a rename drops the list on restore. */
    public static final MapStateDescriptor<Long, Long> DESCRIPTOR =
            new MapStateDescriptor<>("erased-customer-hashes", Types.LONG, Types.LONG);

    private ErasedIds() {}

    /** The hash the list keys an id by. */
    public static long hash(String customerId) {
        return MurmurHash3.hash128x64(customerId.getBytes(StandardCharsets.UTF_8))[0];
    }

    /** Whether {@code customerId} is suppressed at {@code now}. */
    public static boolean suppressed(
            ReadOnlyBroadcastState<Long, Long> list, String customerId, long now) throws Exception {
        Long until = list.get(hash(customerId));
        return until != null && until > now;
    }

    /**
     * Suppresses {@code customerId} until {@code until}, after dropping expired entries and, when
     * the list is full, the ones that end soonest; returns how many unexpired entries had to go.
     */
    public static int add(
            BroadcastState<Long, Long> list, String customerId, long now, long until, int max)
            throws Exception {
        List<Map.Entry<Long, Long>> live = new ArrayList<>();
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Long> e : list.entries()) {
            if (e.getValue() <= now) {
                expired.add(e.getKey());
            } else {
                live.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        for (Long key : expired) {
            list.remove(key);
        }
        long hash = hash(customerId);
        live.removeIf(e -> e.getKey() == hash);
        int evicted = 0;
        if (live.size() >= max) {
            live.sort(Comparator.comparingLong(Map.Entry::getValue));
            for (Map.Entry<Long, Long> e : live.subList(0, live.size() - max + 1)) {
                list.remove(e.getKey());
                evicted++;
            }
        }
        Long before = list.get(hash);
        list.put(hash, Math.max(until, before == null ? until : before));
        return evicted;
    }
}
