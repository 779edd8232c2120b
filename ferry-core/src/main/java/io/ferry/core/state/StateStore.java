package io.ferry.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs, checkpoints and run reports live. Implementations are thread safe and make every
 * write durable before returning: a checkpoint that was saved survives a crash of the process or
 * the machine. SQLite is the embedded default; a shared PostgreSQL store implements the same
 * interface.
 */
public interface StateStore extends AutoCloseable {
    Optional<JobRecord> findJob(String name);

    List<JobRecord> listJobs();

    /** Creates the job, or fails when one of that name exists. */
    void createJob(JobRecord job);

    void updateJob(String name, JobState state, Optional<String> lastError);

    /** Forgets the job's checkpoints and split progress, so its next run starts from scratch. */
    void resetJob(String name);

    void deleteJob(String name);

    List<Checkpoint> checkpoints(String job);

    void saveCheckpoint(Checkpoint checkpoint);

    List<SplitProgress> splits(String job);

    void saveSplit(SplitProgress split);

    /** Records the start of a run and returns its id. */
    long startRun(String job, Instant startedAt);

    void finishRun(long runId, Instant finishedAt, JobState state, String report);

    Optional<RunRecord> lastRun(String job);

    @Override
    void close();
}
