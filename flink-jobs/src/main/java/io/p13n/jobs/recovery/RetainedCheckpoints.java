package io.p13n.jobs.recovery;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

/**
 * The checkpoints a run of the engine leaves in {@code checkpoint.dir}, and which one the next run
 * resumes from. Flink writes a job's checkpoints to {@code <dir>/<job id>/chk-<n>/}; a checkpoint
 * is complete once its {@code _metadata} is written, and is retained when the job is cancelled or
 * its process dies ({@code execution.checkpointing.externalized-checkpoint-retention}). The engine
 * runs under a job id derived from its job name ({@link #jobIdFor}), so a restarted process finds
 * its own checkpoints and no other job's.
 *
 * <p>Works on any file system Flink has a plugin for (file://, s3://, hdfs://), through Flink's
 * {@link FileSystem}.
 */
public final class RetainedCheckpoints {
    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d+)");
    private static final String METADATA = "_metadata";

    private final Path jobDirectory;

    /** A completed checkpoint found on disk. */
    public record Checkpoint(long id, String path, Instant completedAt) {}

    private RetainedCheckpoints(Path jobDirectory) {
        this.jobDirectory = jobDirectory;
    }

    /** The checkpoints of job {@code jobId} under {@code checkpointDir}. */
    public static RetainedCheckpoints of(String checkpointDir, JobID jobId) {
        return new RetainedCheckpoints(new Path(checkpointDir, jobId.toHexString()));
    }

    /**
     * The job id of the engine named {@code jobName}: the same on every start, so that every run
     * checkpoints into, and resumes from, the same directory; two engines with different names
     * never share one.
     */
    public static JobID jobIdFor(String jobName) {
        UUID uuid =
                UUID.nameUUIDFromBytes(("p13n-job:" + jobName).getBytes(StandardCharsets.UTF_8));
        return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
    }

    /** Where this job's checkpoints go. */
    public String directory() {
        return jobDirectory.toString();
    }

    /**
     * The newest checkpoint whose metadata can be read, if any. A {@code chk-<n>} without metadata
     * is one the process died in the middle of; one whose metadata does not load (cut off by the
     * crash) is skipped in favour of the one before it.
     */
    public Optional<Checkpoint> latest() throws IOException {
        for (Checkpoint candidate : candidates()) {
            if (readable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Moves this job's checkpoints aside, to {@code <job id>-discarded-<millis>} next to them, so a
     * fresh start neither restores them nor collides with their numbers; returns the new place, or
     * empty when there was nothing. Nothing is deleted: an operator can still restore from them
     * with {@code --from-savepoint}.
     */
    public Optional<String> moveAside(Instant now) throws IOException {
        FileSystem fs = jobDirectory.getFileSystem();
        if (!fs.exists(jobDirectory)) {
            return Optional.empty();
        }
        Path target =
                new Path(
                        jobDirectory.getParent(),
                        jobDirectory.getName() + "-discarded-" + now.toEpochMilli());
        if (!fs.rename(jobDirectory, target)) {
            throw new IOException("could not move " + jobDirectory + " to " + target);
        }
        return Optional.of(target.toString());
    }

    private List<Checkpoint> candidates() throws IOException {
        FileSystem fs = jobDirectory.getFileSystem();
        List<Checkpoint> found = new ArrayList<>();
        if (!fs.exists(jobDirectory)) {
            return found;
        }
        FileStatus[] entries = fs.listStatus(jobDirectory);
        if (entries == null) {
            return found;
        }
        for (FileStatus entry : entries) {
            Matcher m = CHECKPOINT_DIR.matcher(entry.getPath().getName());
            if (!entry.isDir() || !m.matches()) {
                continue;
            }
            Path metadata = new Path(entry.getPath(), METADATA);
            if (fs.exists(metadata)) {
                found.add(
                        new Checkpoint(
                                Long.parseLong(m.group(1)),
                                entry.getPath().toString(),
                                Instant.ofEpochMilli(
                                        fs.getFileStatus(metadata).getModificationTime())));
            }
        }
        found.sort(Comparator.comparingLong(Checkpoint::id).reversed());
        return found;
    }

    private static boolean readable(Checkpoint checkpoint) {
        Path metadata = new Path(checkpoint.path(), METADATA);
        try (DataInputStream in = new DataInputStream(metadata.getFileSystem().open(metadata))) {
            CheckpointMetadata loaded =
                    Checkpoints.loadCheckpointMetadata(
                            in, RetainedCheckpoints.class.getClassLoader(), checkpoint.path());
            return loaded.getCheckpointId() == checkpoint.id();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
