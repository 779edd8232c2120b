package io.ferry.cli.serve;

import static java.util.Objects.requireNonNull;

import io.ferry.postgres.TaskDirectory;
import io.ferry.postgres.TaskFolder;
import io.ferry.server.ExportTasks;
import io.ferry.server.JobKind;
import java.util.ArrayList;
import java.util.List;

/** The tasks of the server's task folder, read afresh on every call, for the {@code /exports} endpoints. */
final class TaskFolderExports implements ExportTasks {
    private final DbExportKind kind;

    TaskFolderExports(DbExportKind kind) {
        this.kind = requireNonNull(kind, "kind is null");
    }

    @Override
    public List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (TaskFolder folder : TaskDirectory.scan(kind.tasksDirectory()).tasks()) {
            tasks.add(new Task(
                    folder.name(), folder.selectSql(), folder.deleteSql().orElse(null)));
        }
        return tasks;
    }

    @Override
    public JobKind kind() {
        return kind;
    }
}
