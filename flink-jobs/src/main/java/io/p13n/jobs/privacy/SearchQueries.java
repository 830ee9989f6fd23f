package io.p13n.jobs.privacy;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * A search event's free text replaced at the entrance by a keyed hash of its normalised form, so
 * that nothing after the entrance (state, the identity hand-off topic, Redis, output topics, logs)
 * ever holds what a customer typed: {@code q.} + {@code base64url(HMAC-SHA256(key, "search-query:"
 * + normalise(query)))[0..16 bytes]}, 24 characters. The customer stage only compares these tokens
 * (README, Searches).
 *
 * <p>Keyed, not a plain hash: search queries are short and drawn from a small vocabulary, so a
 * plain (or publicly salted) hash of "pregnancy test" is found by hashing a dictionary of likely
 * queries. With the key unknown that attack fails. The key is {@code privacy.pseudonymization-key}
 * when set (the same secret that hides customer ids; the {@code search-query:} prefix keeps a
 * query's token different from the pseudonym of an id that happens to read the same); without it a
 * fixed built-in salt is used, which still keeps the text itself out of every store but does not
 * stop a dictionary attack by someone who has this code: set the key where that matters. Not
 * thread-safe: one instance per subtask.
 */
public final class SearchQueries {
    /** Bytes of the HMAC kept: 128 bits, as for pseudonyms (collisions negligible). */
    static final int BYTES = 16;

    /** Marks a token: what the stages after the entrance see in {@code searchQuery}. */
    public static final String TOKEN_PREFIX = "q.";

    /**
     * The salt without {@code privacy.pseudonymization-key}: public (it is in this code), so it
     * only keeps generic precomputed tables useless.
     */
    static final String BUILT_IN_SALT = "p13n-search-query-salt-v1-not-a-secret";

    private static final byte[] DOMAIN = "search-query:".getBytes(StandardCharsets.UTF_8);
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final HmacUtils hmac;

    /**
     * @param key privacy.pseudonymization-key, or null for the built-in salt
     */
    public SearchQueries(String key) {
        this.hmac =
                new HmacUtils(
                        HmacAlgorithms.HMAC_SHA_256,
                        (key == null ? BUILT_IN_SALT : key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The form two queries that mean the same share: compatibility-decomposed (full-width and
     * ligature forms folded), accents dropped, lower case, every run of characters other than
     * letters and digits one space, trimmed. "Running Shoes!" and "running shoes" are one query;
     * word order still matters (it often changes the meaning).
     */
    public static String normalise(String query) {
        if (query == null) {
            return "";
        }
        String folded =
                MARKS.matcher(Normalizer.normalize(query, Normalizer.Form.NFKD)).replaceAll("");
        return SEPARATORS.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }

    /** The token of {@code query}; null when nothing is left of it after normalising. */
    public String token(String query) {
        String normalised = normalise(query);
        if (normalised.isEmpty()) {
            return null;
        }
        byte[] text = normalised.getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(DOMAIN, DOMAIN.length + text.length);
        System.arraycopy(text, 0, input, DOMAIN.length, text.length);
        byte[] mac = hmac.hmac(input);
        return TOKEN_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, BYTES));
    }
}
