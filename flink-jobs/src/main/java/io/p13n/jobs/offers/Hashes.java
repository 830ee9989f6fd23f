package io.p13n.jobs.offers;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/** Stable 64-bit hashes (MurmurHash3 x64 128, first half), the same on every JVM and run. */
final class Hashes {
    private Hashes() {}

    static long hash64(String text) {
        return MurmurHash3.hash128x64(text.getBytes(StandardCharsets.UTF_8))[0];
    }

    /** A hash mapped uniformly onto [0, 1). */
    static double unit(String text) {
        return (hash64(text) >>> 11) * 0x1.0p-53;
    }
}
