package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTest {
    @Test
    void phasesRunInTheirOwnOrderWhateverOrderTheyAreGivenIn() {
        assertThat(Phase.parseList("latency, HASHMAP,pass_through"))
                .containsExactly(Phase.PASS_THROUGH, Phase.HASHMAP, Phase.LATENCY);
    }

    @Test
    void allMeansEveryPhaseAndRepeatsCountOnce() {
        assertThat(Phase.parseList("all,rocksdb"))
                .containsExactly(Phase.PASS_THROUGH, Phase.ROCKSDB, Phase.HASHMAP, Phase.LATENCY);
        assertThat(Phase.parseList("passthrough")).isEqualTo(List.of(Phase.PASS_THROUGH));
    }

    @Test
    void unknownOrNoPhaseIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Phase.parseList("rocksdb,flink"))
                .hasMessageContaining("'flink'")
                .hasMessageContaining("pass-through, rocksdb");
        assertThatThrownBy(() -> Phase.parseList(" , ")).hasMessageContaining("no phase");
    }
}
