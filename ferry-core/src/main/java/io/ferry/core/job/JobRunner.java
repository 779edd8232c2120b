package io.ferry.core.job;

import static io.ferry.spi.error.StandardErrorCode.INTERNAL_ERROR;
import static io.ferry.spi.error.StandardErrorCode.JOB_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.ferry.core.pipeline.LiveSettings;
import io.ferry.core.pipeline.SplitOutcome;
import io.ferry.core.pipeline.SplitRun;
import io.ferry.core.progress.ProgressTracker;
import io.ferry.core.report.RunReport;
import io.ferry.core.report.SplitReport;
import io.ferry.core.state.JobRecord;
import io.ferry.core.state.JobState;
import io.ferry.core.state.SplitProgress;
import io.ferry.core.state.SplitState;
import io.ferry.core.state.StateStore;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.Split;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job: registers it (or checks that a job of that name is the same job), takes its lock,
 * plans the splits, runs those not done yet in parallel until each reaches its end, fails, or is
 * paused, and records the outcome and the run report.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final long RESIZE_MILLIS = 200;

    private final StateStore store;
    private final Path lockDirectory;

    public JobRunner(StateStore store, Path lockDirectory) {
        this.store = requireNonNull(store, "store is null");
        this.lockDirectory = requireNonNull(lockDirectory, "lockDirectory is null");
    }

    /**
     * Finds the job named {@code name} or creates it with {@code spec}. A job of that name with a
     * different spec is a user error: the user reused a name for other work.
     */
    public JobRecord register(String name, JobSpec spec) {
        Optional<JobRecord> existing = store.findJob(name);
        if (existing.isPresent()) {
            JobRecord job = existing.get();
            if (!job.kind().equals(spec.kind()) || !job.spec().equals(spec.canonical())) {
                throw new FerryException(
                        JOB_MISMATCH,
                        "A job named '" + name + "' already exists with other options (" + differences(job, spec)
                                + "; created " + job.createdAt()
                                + "); give this one another --name, or remove the old one with: ferry jobs delete "
                                + name);
            }
            return job;
        }
        Instant now = Instant.now();
        JobRecord job = new JobRecord(name, spec.kind(), spec.canonical(), JobState.PAUSED, now, now, null);
        store.createJob(job);
        return job;
    }

    private static String differences(JobRecord job, JobSpec spec) {
        if (!job.kind().equals(spec.kind())) {
            return "it is an " + job.kind() + " job";
        }
        java.util.SortedMap<String, String> before = new java.util.TreeMap<>();
        job.spec().lines().skip(1).forEach(line -> {
            int equals = line.indexOf('=');
            before.put(line.substring(0, equals), line.substring(equals + 1));
        });
        List<String> changed = new ArrayList<>();
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(spec.options().keySet());
        for (String key : keys) {
            String was = before.get(key);
            String now = spec.options().get(key);
            if (was == null || !was.equals(now)) {
                changed.add(key + " was " + (was == null ? "unset" : "'" + was + "'") + ", now "
                        + (now == null ? "unset" : "'" + now + "'"));
            }
        }
        return String.join("; ", changed);
    }

    public <P extends Position> JobOutcome run(
            JobRecord job,
            Source<P> source,
            List<Sink> sinks,
            RunSettings settings,
            ProgressTracker progress,
            StopSignal stop) {
        return run(job, source, sinks, settings, progress, stop, LiveSettings.unlimited());
    }

    /** Runs the job with live parameters (a rate limit) that may change while it runs. */
    @SuppressWarnings("try") // the job's lock is held for the try block, never named in it
    public <P extends Position> JobOutcome run(
            JobRecord job,
            Source<P> source,
            List<Sink> sinks,
            RunSettings settings,
            ProgressTracker progress,
            StopSignal stop,
            LiveSettings live) {
        requireNonNull(live, "live is null");
        try (JobLock lock = JobLock.acquire(lockDirectory, job.name())) {
            List<TargetLease> leases = new ArrayList<>();
            try {
                for (Sink sink : sinks) {
                    for (String target : sink.exclusiveTargets()) {
                        leases.add(TargetLease.acquire(lockDirectory, target, job.name()));
                    }
                }
                return runLocked(job, source, sinks, settings, progress, stop, live);
            } finally {
                for (TargetLease lease : leases) {
                    lease.close();
                }
            }
        }
    }

    private <P extends Position> JobOutcome runLocked(
            JobRecord job,
            Source<P> source,
            List<Sink> sinks,
            RunSettings settings,
            ProgressTracker progress,
            StopSignal stop,
            LiveSettings live) {
        Instant started = Instant.now();
        // Run before from this state store (a --restart keeps its runs): what it left in a target is its own.
        boolean resuming = store.lastRun(job.name()).isPresent()
                || !store.splits(job.name()).isEmpty()
                || !store.checkpoints(job.name()).isEmpty();
        long runId = store.startRun(job.name(), started);
        store.updateJob(job.name(), JobState.RUNNING, Optional.empty());

        List<SplitOutcome> outcomes = new ArrayList<>();
        List<FerryException> failures = new ArrayList<>();
        JobState state;
        try {
            List<Split> splits = source.plan();
            Map<String, SplitProgress> previous = new HashMap<>();
            for (SplitProgress split : store.splits(job.name())) {
                previous.put(split.split(), split);
            }
            List<Split> toRun = new ArrayList<>();
            for (Split split : splits) {
                SplitProgress before = previous.get(split.id());
                if (before != null && before.state() == SplitState.DONE) {
                    progress.register(
                                    split,
                                    source.size(split),
                                    before.progress(),
                                    before.records(),
                                    before.bytes(),
                                    SplitState.DONE)
                            .state(SplitState.DONE);
                } else {
                    toRun.add(split);
                }
            }
            outcomes.addAll(runSplits(job, resuming, source, sinks, toRun, settings, progress, stop, live));
            boolean paused = false;
            for (SplitOutcome outcome : outcomes) {
                outcome.findFailure().ifPresent(failures::add);
                paused |= outcome.state() == SplitState.PAUSED;
            }
            if (!failures.isEmpty()) {
                state = JobState.FAILED;
            } else if (paused || (stop.pauseRequested() && outcomes.size() < toRun.size())) {
                state = JobState.PAUSED;
            } else {
                state = JobState.SUCCEEDED;
            }
        } catch (FerryException e) {
            failures.add(e);
            state = JobState.FAILED;
        } catch (RuntimeException e) {
            failures.add(new FerryException(INTERNAL_ERROR, "Unexpected failure: " + e, e));
            state = JobState.FAILED;
        }
        Instant finished = Instant.now();
        List<SplitReport> splitReports = outcomes.stream()
                .map(outcome -> new SplitReport(
                        outcome.split(),
                        outcome.state(),
                        outcome.recordsThisRun(),
                        outcome.bytesThisRun(),
                        outcome.recordsTotal(),
                        outcome.bytesTotal(),
                        outcome.positions(),
                        outcome.findFailure().map(f -> f.kind().name()).orElse(null),
                        outcome.findFailure().map(f -> f.code().name()).orElse(null),
                        outcome.findFailure().map(Throwable::getMessage).orElse(null)))
                .toList();
        RunReport report = RunReport.of(job.name(), job.kind(), state, started, finished, splitReports);
        Optional<String> lastError = failures.isEmpty()
                ? Optional.empty()
                : Optional.of(String.valueOf(failures.get(0).getMessage()));
        store.updateJob(job.name(), state, lastError);
        store.finishRun(runId, finished, state, report.toJson());
        return new JobOutcome(state, report, failures);
    }

    private <P extends Position> List<SplitOutcome> runSplits(
            JobRecord job,
            boolean resuming,
            Source<P> source,
            List<Sink> sinks,
            List<Split> splits,
            RunSettings settings,
            ProgressTracker progress,
            StopSignal stop,
            LiveSettings live) {
        if (splits.isEmpty()) {
            return List.of();
        }
        int threads = threads(settings, live, splits.size());
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "ferry-split");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<SplitOutcome>> futures = new ArrayList<>();
            for (Split split : splits) {
                futures.add(executor.submit(() -> {
                    if (stop.pauseRequested()) {
                        return new SplitOutcome(split.id(), SplitState.PENDING, 0, 0, 0, 0, Map.of(), null);
                    }
                    return new SplitRun<>(
                                    job.name(),
                                    resuming,
                                    source,
                                    split,
                                    sinks,
                                    store,
                                    progress,
                                    stop,
                                    settings.maxWait(),
                                    live)
                            .run();
                }));
            }
            List<SplitOutcome> outcomes = new ArrayList<>();
            for (Future<SplitOutcome> future : futures) {
                outcomes.add(await(future, () -> resize(executor, threads(settings, live, splits.size()))));
            }
            return outcomes;
        } finally {
            executor.shutdownNow();
        }
    }

    /** How many splits run at once: the live concurrency, else the job's parallelism; at most one per split. */
    private static int threads(RunSettings settings, LiveSettings live, int splits) {
        int wanted = live.concurrency() > 0 ? live.concurrency() : settings.parallelism();
        return Math.max(1, Math.min(wanted, splits));
    }

    /** Grows the pool at once (waiting splits start); shrinks it as running splits finish. */
    private static void resize(ThreadPoolExecutor executor, int threads) {
        if (threads > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(threads);
            executor.setCorePoolSize(threads);
        } else if (threads < executor.getCorePoolSize()) {
            executor.setCorePoolSize(threads);
            executor.setMaximumPoolSize(threads);
        }
    }

    /** Waits for {@code future}, running {@code whileWaiting} every {@value #RESIZE_MILLIS} ms. */
    private static SplitOutcome await(Future<SplitOutcome> future, Runnable whileWaiting) {
        while (true) {
            try {
                return future.get(RESIZE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                whileWaiting.run();
            } catch (InterruptedException e) {
                // A split is never abandoned mid-write: keep waiting, the stop signal ends it.
                log.debug("Interrupted while waiting for a split; waiting on", e);
            } catch (ExecutionException e) {
                throw new FerryException(INTERNAL_ERROR, "A split failed unexpectedly: " + e.getCause(), e.getCause());
            }
        }
    }
}
