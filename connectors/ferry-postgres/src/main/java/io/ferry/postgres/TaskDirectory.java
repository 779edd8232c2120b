package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The tasks under a directory: every subfolder holding {@code select.sql} (or, broken, only a
 * {@code delete.sql}). A broken folder is kept with its error so that it fails alone.
 */
public final class TaskDirectory {
    /** A folder that looks like a task but cannot be used; {@code error} names the file and the fix. */
    public record BrokenTask(String name, Path directory, FerryException error) {
        public BrokenTask {
            requireNonNull(name, "name is null");
            requireNonNull(directory, "directory is null");
            requireNonNull(error, "error is null");
        }
    }

    private final Path root;
    private final List<TaskFolder> tasks;
    private final List<BrokenTask> broken;

    private TaskDirectory(Path root, List<TaskFolder> tasks, List<BrokenTask> broken) {
        this.root = root;
        this.tasks = List.copyOf(tasks);
        this.broken = List.copyOf(broken);
    }

    /** Reads every task under {@code root}; fails with {@code NOT_FOUND} when it is not a directory. */
    public static TaskDirectory scan(Path root) {
        Path directory = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new FerryException(
                    StandardErrorCode.NOT_FOUND,
                    "task directory " + directory + " does not exist"
                            + (Files.exists(directory) ? " (it is a file)" : "")
                            + "; name the folder holding one subfolder per task with --tasks DIR or DSL_PATH"
                            + " (example: --tasks /DSL/Export)");
        }
        List<Path> folders;
        try (Stream<Path> entries = Files.list(directory)) {
            folders = entries.filter(Files::isDirectory)
                    .filter(path -> !String.valueOf(path.getFileName()).startsWith("."))
                    .sorted(Comparator.comparing(path -> String.valueOf(path.getFileName())))
                    .toList();
        } catch (IOException e) {
            throw new FerryException(
                    StandardErrorCode.IO_ERROR, "cannot list the task directory " + directory + ": " + e, e);
        }
        List<TaskFolder> tasks = new ArrayList<>();
        List<BrokenTask> broken = new ArrayList<>();
        for (Path folder : folders) {
            String name = String.valueOf(folder.getFileName());
            boolean hasSelect = Files.exists(folder.resolve(TaskFolder.SELECT_FILE));
            boolean hasDelete = Files.exists(folder.resolve(TaskFolder.DELETE_FILE));
            if (!hasSelect && !hasDelete) {
                continue; // not a task folder
            }
            if (!hasSelect) {
                broken.add(new BrokenTask(
                        name,
                        folder,
                        TaskFolder.broken(
                                name,
                                folder.resolve(TaskFolder.SELECT_FILE),
                                "is missing (the folder has a delete.sql); every task needs the select.sql that"
                                        + " exports its rows")));
                continue;
            }
            try {
                tasks.add(TaskFolder.load(folder));
            } catch (FerryException e) {
                broken.add(new BrokenTask(name, folder, e));
            }
        }
        return new TaskDirectory(directory, tasks, broken);
    }

    public Path root() {
        return root;
    }

    /** The usable tasks, sorted by name. */
    public List<TaskFolder> tasks() {
        return tasks;
    }

    /** The broken task folders, sorted by name. */
    public List<BrokenTask> broken() {
        return broken;
    }

    public Optional<TaskFolder> findTask(String name) {
        return tasks.stream().filter(task -> task.name().equals(name)).findFirst();
    }

    public Optional<BrokenTask> findBroken(String name) {
        return broken.stream().filter(task -> task.name().equals(name)).findFirst();
    }

    /** Every task name, usable or broken, sorted. */
    public List<String> names() {
        return Stream.concat(
                        tasks.stream().map(TaskFolder::name), broken.stream().map(BrokenTask::name))
                .sorted()
                .toList();
    }
}
