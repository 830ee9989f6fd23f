package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisInfoTest {
    private static final String BEFORE =
            String.join(
                    "\r\n",
                    "# Commandstats",
                    "cmdstat_info:calls=4,usec=120,usec_per_call=30.00,rejected_calls=0,failed_calls=0",
                    "cmdstat_client|setinfo:calls=2,usec=3,usec_per_call=1.50",
                    "",
                    "# Stats",
                    "total_connections_received:3",
                    "total_net_input_bytes:1000",
                    "total_net_output_bytes:5000");

    private static final String AFTER =
            String.join(
                    "\r\n",
                    "# Commandstats",
                    "cmdstat_hset:calls=250,usec=9000,usec_per_call=36.00",
                    "cmdstat_pexpire:calls=250,usec=500,usec_per_call=2.00",
                    "cmdstat_info:calls=6,usec=180,usec_per_call=30.00",
                    "cmdstat_client|setinfo:calls=4,usec=6,usec_per_call=1.50",
                    "cmdstat_flushall:calls=1,usec=6,usec_per_call=6.00",
                    "# Stats",
                    "total_net_input_bytes:101000",
                    "total_net_output_bytes:7000");

    @Test
    void parsesCallsPerCommandAndNetworkBytes() {
        RedisInfo info = RedisInfo.parse(AFTER);
        assertThat(info.calls())
                .containsEntry("hset", 250L)
                .containsEntry("client|setinfo", 4L)
                .containsEntry("info", 6L);
        assertThat(info.netInputBytes()).isEqualTo(101_000);
        assertThat(info.netOutputBytes()).isEqualTo(7_000);
    }

    @Test
    void theDeltaCountsOnlyTheEnginesCommands() {
        RedisInfo delta = RedisInfo.parse(AFTER).minus(RedisInfo.parse(BEFORE));
        assertThat(delta.engineCommands()).isEqualTo(500);
        assertThat(delta.engineCalls()).isEqualTo(Map.of("hset", 250L, "pexpire", 250L));
        assertThat(delta.calls()).containsEntry("info", 2L).containsEntry("flushall", 1L);
        assertThat(delta.netInputBytes()).isEqualTo(100_000);
        assertThat(delta.netOutputBytes()).isEqualTo(2_000);
    }

    @Test
    void emptyInfoIsAllZero() {
        RedisInfo info = RedisInfo.parse("");
        assertThat(info.calls()).isEmpty();
        assertThat(info.engineCommands()).isZero();
    }
}
