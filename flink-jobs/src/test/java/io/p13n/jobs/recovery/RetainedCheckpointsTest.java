package io.p13n.jobs.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which retained checkpoint a start resumes from, on a real directory of Flink metadata files. */
class RetainedCheckpointsTest {
    @TempDir Path root;

    private final JobID job = RetainedCheckpoints.jobIdFor("p13n-test");

    private Path checkpoint(long id) throws Exception {
        Path dir = Files.createDirectories(root.resolve(job.toHexString()).resolve("chk-" + id));
        try (OutputStream out = Files.newOutputStream(dir.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(
                    new CheckpointMetadata(id, List.of(), List.of()), new DataOutputStream(out));
        }
        return dir;
    }

    private RetainedCheckpoints retained() {
        return RetainedCheckpoints.of(root.toUri().toString(), job);
    }

    @Test
    void theJobIdIsTheSameOnEveryStartAndDiffersBetweenJobNames() {
        assertThat(RetainedCheckpoints.jobIdFor("p13n-test")).isEqualTo(job);
        assertThat(RetainedCheckpoints.jobIdFor("p13n-other")).isNotEqualTo(job);
    }

    @Test
    void theNewestReadableCheckpointWins() throws Exception {
        checkpoint(7);
        checkpoint(12);
        // Numbers, not names: chk-9 sorts after chk-12 as a string.
        checkpoint(9);
        assertThat(retained().latest())
                .get()
                .extracting(RetainedCheckpoints.Checkpoint::id)
                .isEqualTo(12L);
    }

    @Test
    void aCheckpointTheCrashCutOffIsSkippedForTheOneBefore() throws Exception {
        checkpoint(4);
        // in progress when the process died: no metadata yet
        Files.createDirectories(root.resolve(job.toHexString()).resolve("chk-6"));
        // metadata written half-way
        Path torn = Files.createDirectories(root.resolve(job.toHexString()).resolve("chk-5"));
        byte[] whole =
                Files.readAllBytes(root.resolve(job.toHexString()).resolve("chk-4/_metadata"));
        Files.write(torn.resolve("_metadata"), java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThat(retained().latest())
                .get()
                .extracting(RetainedCheckpoints.Checkpoint::id)
                .isEqualTo(4L);
    }

    @Test
    void anotherJobsCheckpointsAreNotResumed() throws Exception {
        Path other =
                Files.createDirectories(
                        root.resolve(RetainedCheckpoints.jobIdFor("p13n-other").toHexString())
                                .resolve("chk-3"));
        Files.writeString(other.resolve("_metadata"), "x");
        assertThat(retained().latest()).isEmpty();
    }

    @Test
    void aFreshStartMovesTheCheckpointsAsideWithoutDeletingThem() throws Exception {
        checkpoint(3);
        var movedTo = retained().moveAside(Instant.ofEpochMilli(1234));

        assertThat(movedTo).get().asString().endsWith(job.toHexString() + "-discarded-1234");
        assertThat(retained().latest()).isEmpty();
        assertThat(root.resolve(job.toHexString() + "-discarded-1234/chk-3/_metadata")).exists();
        assertThat(retained().moveAside(Instant.now())).as("nothing left to move").isEmpty();
    }
}
