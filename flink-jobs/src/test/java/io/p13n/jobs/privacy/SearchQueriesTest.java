package io.p13n.jobs.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchQueriesTest {
    private static final String KEY = "a-key-of-at-least-thirty-two-characters";

    @Test
    void shouldNormaliseCaseSpacingPunctuationAccentsAndWideForms() {
        assertThat(SearchQueries.normalise("  Running   SHOES!! ")).isEqualTo("running shoes");
        assertThat(SearchQueries.normalise("Café-au-lait")).isEqualTo("cafe au lait");
        assertThat(SearchQueries.normalise("ＴＶ 55\"")).isEqualTo("tv 55");
        assertThat(SearchQueries.normalise("shoes running")).isNotEqualTo("running shoes");
        assertThat(SearchQueries.normalise(null)).isEmpty();
    }

    @Test
    void shouldGiveOneTokenToQueriesThatNormaliseAlikeAndNoneToEmptyOnes() {
        SearchQueries queries = new SearchQueries(KEY);
        assertThat(queries.token("Running Shoes")).isEqualTo(queries.token("running  shoes."));
        assertThat(queries.token("running shoes")).isNotEqualTo(queries.token("running shoe"));
        assertThat(queries.token("  ?! ")).isNull();
        assertThat(queries.token(null)).isNull();
    }

    @Test
    void shouldHoldNoTextOfTheQueryAndDependOnTheKey() {
        SearchQueries keyed = new SearchQueries(KEY);
        String token = keyed.token("running shoes");
        assertThat(token)
                .startsWith(SearchQueries.TOKEN_PREFIX)
                .matches("q\\.[A-Za-z0-9_-]{22}")
                .doesNotContainIgnoringCase("running")
                .doesNotContainIgnoringCase("shoes");
        // Without the key a dictionary of likely queries gives other tokens: the attack fails.
        assertThat(new SearchQueries(KEY + "!").token("running shoes")).isNotEqualTo(token);
        assertThat(new SearchQueries(null).token("running shoes")).isNotEqualTo(token);
        assertThat(new SearchQueries(null).token("running shoes"))
                .isEqualTo(new SearchQueries(null).token("running shoes"));
    }

    @Test
    void shouldNotEqualThePseudonymOfAnIdThatReadsLikeTheQuery() {
        String token = new SearchQueries(KEY).token("alice");
        assertThat(token.substring(SearchQueries.TOKEN_PREFIX.length()))
                .isNotEqualTo(new Pseudonyms(KEY).of("alice"));
    }
}
