package io.ferry.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The database export tasks behind the compatibility endpoints ({@code /exports}): the tasks of
 * the configured folder, and the job kind that runs them. A job of that kind lists the tasks it
 * runs in its request's {@code options.tasks}.
 */
public interface ExportTasks {
    /** One task as {@code GET /exports} shows it. */
    record Task(String name, String selectQuery, @Nullable String deleteQuery) {
        public Task {
            requireNonNull(name, "name is null");
            requireNonNull(selectQuery, "selectQuery is null");
        }
    }

    /** The tasks in the configured folder, by name. */
    List<Task> tasks();

    default Optional<Task> findTask(String name) {
        return tasks().stream().filter(task -> task.name().equals(name)).findFirst();
    }

    /** The kind whose jobs run tasks; its requests name them in {@code options.tasks}. */
    JobKind kind();
}
