package io.p13n.jobs.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PseudonymsTest {
    private static final String KEY = "a-key-of-at-least-thirty-two-characters";

    @Test
    void isTheKeyedHmacSha256TruncatedTo128BitsAsTheStorefrontComputesIt() throws Exception {
        // The storefront's side, with the JDK alone.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                Arrays.copyOf(
                                        mac.doFinal("alice".getBytes(StandardCharsets.UTF_8)), 16));

        assertThat(new Pseudonyms(KEY).of("alice")).isEqualTo(expected).hasSize(22);
    }

    @Test
    void dependsOnTheIdAndTheKey() {
        Pseudonyms pseudonyms = new Pseudonyms(KEY);
        assertThat(pseudonyms.of("alice")).isEqualTo(pseudonyms.of("alice"));
        assertThat(pseudonyms.of("alice")).isNotEqualTo(pseudonyms.of("alicf"));
        assertThat(new Pseudonyms(KEY + "!").of("alice")).isNotEqualTo(pseudonyms.of("alice"));
        assertThat(pseudonyms.of("alice")).doesNotContain("alice").matches("[A-Za-z0-9_-]{22}");
    }
}
