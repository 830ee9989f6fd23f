package io.p13n.jobs.profile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The de-duplication window, kept inside the customer's profile so that an event costs one state
 * read and write, not two: the 64-bit MurmurHash3 of the last {@code windowSize} event identities
 * (chance of a false "duplicate" among 32 ids about 2^-59), as one byte buffer: written count, time
 * of the last write (wall-clock, for {@code dedup.ttl}), then the ring of hashes. That bounds it at
 * {@code 8 * (windowSize + 2)} bytes per customer. Pure; the buffer is the profile's field.
 */
public final class RecentEventHashes {
    private static final int HEADER = 2;

    private RecentEventHashes() {}

    /** 64-bit hash of an event identity (see CustomerEvents#deduplicationKey). */
    public static long hash(String identity) {
        return MurmurHash3.hash128x64(identity.getBytes(StandardCharsets.UTF_8))[0];
    }

    /**
     * Records {@code hash} unless it is among the remembered ones. Returns the window to store (a
     * new buffer when the old one was empty, of another size, or older than {@code ttlMillis}), or
     * null when the event is a duplicate (nothing to store).
     */
    public static ByteBuffer record(
            ByteBuffer window, long hash, int windowSize, long now, long ttlMillis) {
        long[] ring = read(window, windowSize);
        if (ring == null || now - ring[1] > ttlMillis) {
            ring = new long[windowSize + HEADER];
        }
        long written = ring[0];
        int filled = (int) Math.min(written, windowSize);
        for (int i = 0; i < filled; i++) {
            if (ring[HEADER + i] == hash) {
                return null;
            }
        }
        ring[HEADER + (int) (written % windowSize)] = hash;
        ring[0] = written + 1;
        ring[1] = now;
        ByteBuffer out = ByteBuffer.allocate(8 * ring.length);
        out.asLongBuffer().put(ring);
        return out;
    }

    /**
     * {@code window} with every hash of {@code other} recorded too, oldest first (an identity
     * merge: a retry of an event the merged-away id had counted is still recognised). Returns
     * {@code window} itself when {@code other} holds nothing.
     */
    public static ByteBuffer merge(
            ByteBuffer window, ByteBuffer other, int windowSize, long now, long ttlMillis) {
        long[] ring = read(other, windowSize);
        if (ring == null || now - ring[1] > ttlMillis) {
            return window;
        }
        long written = ring[0];
        int filled = (int) Math.min(written, windowSize);
        ByteBuffer out = window;
        for (int k = filled; k > 0; k--) {
            long hash = ring[HEADER + (int) Math.floorMod(written - k, (long) windowSize)];
            ByteBuffer next = record(out, hash, windowSize, now, ttlMillis);
            if (next != null) {
                out = next;
            }
        }
        return out;
    }

    /** The ring as longs, or null when empty or written for another window size. */
    private static long[] read(ByteBuffer window, int windowSize) {
        if (window == null || window.remaining() != 8 * (windowSize + HEADER)) {
            return null;
        }
        long[] ring = new long[windowSize + HEADER];
        window.duplicate().asLongBuffer().get(ring);
        return ring;
    }
}
