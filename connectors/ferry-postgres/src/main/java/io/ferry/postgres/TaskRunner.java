package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs several tasks, {@code parallelism} at a time, each on its own connection. A task that fails
 * (or a broken task folder) is reported and the others still run.
 */
public final class TaskRunner {
    /** How one task ended. */
    public sealed interface Outcome permits Exported, Failed {
        String task();
    }

    /** The task ran; {@code result} says what it wrote and deleted. */
    public record Exported(TaskResult result) implements Outcome {
        public Exported {
            requireNonNull(result, "result is null");
        }

        @Override
        public String task() {
            return result.task();
        }
    }

    /** The task failed; nothing of it was deleted. */
    public record Failed(String task, FerryException error) implements Outcome {
        public Failed {
            requireNonNull(task, "task is null");
            requireNonNull(error, "error is null");
        }
    }

    private final TaskExporter exporter;
    private final int parallelism;

    public TaskRunner(TaskExporter exporter, int parallelism) {
        this.exporter = requireNonNull(exporter, "exporter is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException(
                    "--parallelism must be at least 1, got " + parallelism + " (example: --parallelism 4)");
        }
        this.parallelism = parallelism;
    }

    /**
     * Reports every broken folder, then runs every task; {@code listener} hears each outcome as it
     * happens (from the task's thread; it must be thread safe). Returns the outcomes in task order.
     */
    public List<Outcome> run(
            List<TaskFolder> tasks, List<TaskDirectory.BrokenTask> broken, Consumer<Outcome> listener) {
        List<Outcome> outcomes = new ArrayList<>();
        for (TaskDirectory.BrokenTask task : broken) {
            Outcome outcome = new Failed(task.name(), task.error());
            listener.accept(outcome);
            outcomes.add(outcome);
        }
        if (tasks.isEmpty()) {
            return outcomes;
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(parallelism, tasks.size()), runnable -> {
            Thread thread = new Thread(runnable, "ferry-db-task");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (TaskFolder task : tasks) {
                futures.add(executor.submit(() -> {
                    Outcome outcome = runOne(task);
                    listener.accept(outcome);
                    return outcome;
                }));
            }
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(StandardErrorCode.INTERNAL_ERROR, "interrupted while tasks were running", e);
        } catch (ExecutionException e) {
            throw new FerryException(
                    StandardErrorCode.INTERNAL_ERROR, "a task's listener failed: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdownNow();
        }
        return outcomes;
    }

    private Outcome runOne(TaskFolder task) {
        try {
            return new Exported(exporter.export(task));
        } catch (FerryException e) {
            return new Failed(task.name(), e);
        } catch (RuntimeException e) {
            return new Failed(
                    task.name(),
                    new FerryException(
                            StandardErrorCode.INTERNAL_ERROR,
                            "task '" + task.name() + "': ferry failed unexpectedly (" + e
                                    + "); nothing was deleted; please report this",
                            e));
        }
    }
}
