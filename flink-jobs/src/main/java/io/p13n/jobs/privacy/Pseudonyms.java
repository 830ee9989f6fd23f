package io.p13n.jobs.privacy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * Customer ids replaced at the entrance by a keyed hash, so that nothing after it (state, Redis
 * keys and values, output topics) holds the raw id: {@code base64url(HMAC-SHA256(key,
 * utf8(id)))[0..16 bytes]}, 22 characters without padding. 128 bits make a collision between two
 * customers negligible (about n² / 2^129 for n customers); without the key a pseudonym cannot be
 * computed from a guessed id, unlike a plain hash. The storefront computes the same pseudonym to
 * read a customer's keys. Not thread-safe: one instance per subtask.
 */
public final class Pseudonyms {
    /** Bytes of the HMAC kept: 128 bits. */
    static final int BYTES = 16;

    private final HmacUtils hmac;

    public Pseudonyms(String key) {
        this.hmac =
                new HmacUtils(HmacAlgorithms.HMAC_SHA_256, key.getBytes(StandardCharsets.UTF_8));
    }

    /** The pseudonym of {@code customerId}. */
    public String of(String customerId) {
        byte[] mac = hmac.hmac(customerId.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, BYTES));
    }
}
