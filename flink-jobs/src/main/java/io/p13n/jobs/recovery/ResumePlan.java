package io.p13n.jobs.recovery;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;

/**
 * What a start of the engine restores, decided once at the entry point: a savepoint the operator
 * names, else the latest retained checkpoint of the same job, else nothing. Without this, a process
 * that died (kill -9, OOM, a lost machine) came back with empty state and overwrote every profile
 * in Redis with one built from the events after the crash only.
 *
 * @param restoreFrom the checkpoint or savepoint restored, or null for empty state
 * @param claim whether the job takes ownership of it (its own checkpoint: Flink deletes it once
 *     newer ones supersede it) or not (an operator's savepoint is never deleted)
 * @param message one line for the operator: what is restored, or why nothing is
 */
public record ResumePlan(JobID jobId, String restoreFrom, boolean claim, String message) {

    /**
     * @param fromSavepoint a savepoint or retained checkpoint to restore, or null
     * @param fresh start with empty state: this job's retained checkpoints are moved aside first
     */
    public static ResumePlan decide(EngineConfig config, String fromSavepoint, boolean fresh)
            throws IOException {
        if (fresh && fromSavepoint != null) {
            throw new IllegalArgumentException("--fresh and --from-savepoint exclude each other");
        }
        JobID jobId = RetainedCheckpoints.jobIdFor(config.get(EngineOptions.JOB_NAME));
        RetainedCheckpoints retained =
                RetainedCheckpoints.of(config.get(EngineOptions.CHECKPOINT_DIR), jobId);
        if (fromSavepoint != null) {
            return new ResumePlan(
                    jobId, fromSavepoint, false, "Restoring from savepoint " + fromSavepoint);
        }
        if (fresh) {
            Optional<RetainedCheckpoints.Checkpoint> discarded = retained.latest();
            Optional<String> movedTo = retained.moveAside(Instant.now());
            String what =
                    discarded
                            .map(
                                    c ->
                                            "; the state of checkpoint "
                                                    + c.id()
                                                    + " (completed "
                                                    + c.completedAt()
                                                    + ") is not restored")
                            .orElse("");
            return new ResumePlan(
                    jobId,
                    null,
                    false,
                    "Starting fresh, with empty state"
                            + what
                            + movedTo.map(p -> "; earlier checkpoints moved to " + p).orElse("")
                            + ". Profiles and lists in Redis are rebuilt from the events read"
                            + " from now on (kafka.starting-offsets="
                            + config.get(EngineOptions.KAFKA_STARTING_OFFSETS)
                            + ").");
        }
        Optional<RetainedCheckpoints.Checkpoint> latest = retained.latest();
        if (latest.isPresent()) {
            RetainedCheckpoints.Checkpoint c = latest.get();
            return new ResumePlan(
                    jobId,
                    c.path(),
                    true,
                    "Resuming from checkpoint "
                            + c.id()
                            + " (completed "
                            + c.completedAt()
                            + "): "
                            + c.path());
        }
        return new ResumePlan(
                jobId,
                null,
                false,
                "No retained checkpoint in "
                        + retained.directory()
                        + ": starting with empty state");
    }

    /** Sets the job id and what to restore in the Flink configuration the job is started with. */
    public void applyTo(Configuration flink) {
        flink.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId.toHexString());
        if (restoreFrom != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            flink.set(
                    StateRecoveryOptions.RESTORE_MODE,
                    claim ? RecoveryClaimMode.CLAIM : RecoveryClaimMode.NO_CLAIM);
        }
    }
}
