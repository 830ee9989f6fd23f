package io.p13n.cli.rebuild;

import static io.p13n.cli.testing.CliRuns.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.jobs.offers.ActiveOffersRedisMapper;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisValueWrite;
import io.p13n.model.ActiveOffer;
import io.p13n.model.ActiveOffers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavepointRebuildTest {
    @Test
    void shouldRefuseADirectoryWithoutMetadataNamingPathAndExpectation(@TempDir Path dir)
            throws Exception {
        Path jobDir = Files.createDirectories(dir.resolve("3f2a"));
        Files.createDirectories(jobDir.resolve("chk-7"));
        Files.writeString(jobDir.resolve("chk-7").resolve("_metadata"), "x");
        Files.createDirectories(jobDir.resolve("chk-9")); // being written: no _metadata yet

        assertThatThrownBy(() -> SavepointRebuild.checkLocation(jobDir.toString()))
                .isInstanceOf(RebuildException.class)
                .hasMessageContaining("No savepoint at " + jobDir)
                .hasMessageContaining("has no _metadata file")
                .hasMessageContaining("chk-N")
                .hasMessageContaining("The newest one here is " + jobDir.resolve("chk-7"));
    }

    @Test
    void shouldRefuseAPathThatDoesNotExist(@TempDir Path dir) {
        assertThatThrownBy(() -> SavepointRebuild.checkLocation(dir.resolve("nope").toString()))
                .isInstanceOf(RebuildException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("_metadata");
    }

    @Test
    void shouldAcceptASavepointDirectoryOrItsMetadataFileAsPathOrUri(@TempDir Path dir)
            throws Exception {
        Path savepoint = Files.createDirectories(dir.resolve("savepoint-1a2b"));
        Files.writeString(savepoint.resolve("_metadata"), "x");
        String expected = savepoint.toUri().toString();

        assertThat(SavepointRebuild.checkLocation(savepoint.toString())).isEqualTo(expected);
        assertThat(SavepointRebuild.checkLocation(savepoint.toUri().toString()))
                .isEqualTo(expected);
        assertThat(SavepointRebuild.checkLocation(savepoint.resolve("_metadata").toString()))
                .isEqualTo(expected);
        assertThat(SavepointRebuild.checkLocation("s3://bucket/savepoints/savepoint-1"))
                .isEqualTo("s3://bucket/savepoints/savepoint-1");
    }

    @Test
    void shouldFailTheCommandWithExitCode1OnAPathWithoutMetadata(@TempDir Path dir)
            throws Exception {
        String[] example = execute("config", "example");
        Path config = dir.resolve("engine.properties");
        Files.writeString(config, example[1]);

        String[] result =
                execute(
                        "redis",
                        "rebuild",
                        "--from-savepoint",
                        dir.toString(),
                        "--config",
                        config.toString());

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2]).contains("No savepoint at " + dir, "_metadata");
    }

    @Test
    void shouldCutTheOffersTtlToWhatIsLeftAtTheClock() {
        ActiveOffersRedisMapper mapper = new ActiveOffersRedisMapper(new RedisKeys("p"));
        ActiveOffer offer =
                ActiveOffer.newBuilder()
                        .setCouponId("c1")
                        .setCode("P13N-1")
                        .setCampaignId("k")
                        .setVariant("A")
                        .setExpiresAt(10_000)
                        .setReason("r")
                        .build();
        ActiveOffers snapshot = new ActiveOffers("cust", List.of(offer), 1_000L);

        var write = (RedisValueWrite) SavepointRebuild.activeOffersWrite(mapper, snapshot, 4_000);

        assertThat(write.key()).isEqualTo("p:{c:cust}:offers");
        assertThat(write.ttlMillis()).isEqualTo(6_000); // not the job's 9_000, counted from 1_000
        assertThat(SavepointRebuild.activeOffersWrite(mapper, snapshot, 10_000)).isNull();
        assertThat(
                        SavepointRebuild.activeOffersWrite(
                                mapper, new ActiveOffers("cust", List.of(), 1_000L), 4_000))
                .isNull();
    }
}
