package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One task: a folder {@code <tasks>/<name>/} holding {@code select.sql} (a {@code COPY (...) TO
 * STDOUT WITH CSV HEADER}, or a bare query that is exported that way) and, optionally, {@code
 * delete.sql}. A select written {@code COPY (DELETE ... RETURNING ...) TO STDOUT} deletes as it
 * exports and must come without a delete.sql.
 */
public record TaskFolder(String name, Path directory, String selectSql, Optional<String> deleteSql) {
    public static final String SELECT_FILE = "select.sql";
    public static final String DELETE_FILE = "delete.sql";

    /** How a task removes what it exported. */
    public enum Mode {
        /** COPY, then delete.sql in the same transaction; the delete's count must equal the rows. */
        COPY_THEN_DELETE,
        /** {@code COPY (DELETE ... RETURNING ...)}: the export is the delete. */
        DELETE_RETURNING,
        /** No delete.sql: export only. */
        EXPORT_ONLY
    }

    public TaskFolder {
        requireNonNull(name, "name is null");
        requireNonNull(directory, "directory is null");
        requireNonNull(selectSql, "selectSql is null");
        requireNonNull(deleteSql, "deleteSql is null");
        if (!isValidName(name)) {
            throw broken(
                    name,
                    directory,
                    "the folder name is not a valid task name: use letters, digits, '_', '-' and '.', starting with"
                            + " a letter or digit (it becomes the start of each file name)");
        }
        if (SqlText.isBlank(selectSql)) {
            throw broken(
                    name,
                    directory.resolve(SELECT_FILE),
                    "select.sql is empty; write the COPY (...) TO STDOUT"
                            + " WITH CSV HEADER that exports the task's rows");
        }
        Optional<String> query = SqlText.copyQuery(selectSql);
        String withoutComments = SqlText.withoutComments(selectSql);
        if (query.isEmpty() && withoutComments.regionMatches(true, 0, "COPY", 0, 4)) {
            throw broken(
                    name,
                    directory.resolve(SELECT_FILE),
                    "select.sql must be COPY (query) TO STDOUT WITH CSV HEADER (or a bare query); COPY table TO"
                            + " ... and COPY ... TO 'file' are not supported");
        }
        if (query.isPresent()
                && !withoutComments.toUpperCase(Locale.ROOT).matches("(?s).*\\)\\s*TO\\s+STDOUT\\b.*\\bCSV\\b.*")) {
            throw broken(
                    name,
                    directory.resolve(SELECT_FILE),
                    "select.sql must export CSV, the format of the .csv files ferry writes: end it with"
                            + " TO STDOUT WITH CSV HEADER");
        }
        if (deleteSql.isPresent() && SqlText.isBlank(deleteSql.get())) {
            throw broken(
                    name,
                    directory.resolve(DELETE_FILE),
                    "delete.sql is empty; write the DELETE of the exported rows, or remove the file to export"
                            + " without deleting");
        }
        if (deleteSql.isPresent() && query.map(SqlText::firstKeyword).orElse("").equals("DELETE")) {
            throw broken(
                    name,
                    directory.resolve(DELETE_FILE),
                    "select.sql already deletes (COPY (DELETE ... RETURNING ...)), so delete.sql would delete"
                            + " twice; remove delete.sql");
        }
    }

    /** Reads the task in {@code directory}; a broken folder fails with {@code BAD_TASK} naming the file. */
    public static TaskFolder load(Path directory) {
        String name = String.valueOf(directory.getFileName());
        Path select = directory.resolve(SELECT_FILE);
        Path delete = directory.resolve(DELETE_FILE);
        String selectSql = read(name, select);
        Optional<String> deleteSql = Files.exists(delete) ? Optional.of(read(name, delete)) : Optional.empty();
        return new TaskFolder(name, directory, selectSql, deleteSql);
    }

    public static boolean isValidName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}");
    }

    public Mode mode() {
        if (deleteSql.isPresent()) {
            return Mode.COPY_THEN_DELETE;
        }
        return SqlText.copyQuery(selectSql)
                        .map(SqlText::firstKeyword)
                        .orElse("")
                        .equals("DELETE")
                ? Mode.DELETE_RETURNING
                : Mode.EXPORT_ONLY;
    }

    /** The {@code :name} parameters of select.sql and delete.sql, in order of first use. */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>(SqlText.parameterNames(selectSql));
        deleteSql.ifPresent(sql -> names.addAll(SqlText.parameterNames(sql)));
        return names;
    }

    /** The SHA-256 of select.sql and delete.sql as written (before parameters), for manifests. */
    public String queryHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(selectSql.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            deleteSql.ifPresent(sql -> digest.update(sql.getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The statements to run, with parameters inlined as quoted literals. Fails with {@code
     * BAD_PARAMETER} naming the task, file and parameter when one is missing.
     */
    public RenderedTask render(Map<String, String> parameters, boolean standardConformingStrings) {
        String copy = renderFile(SELECT_FILE, selectSql, parameters, standardConformingStrings);
        if (SqlText.copyQuery(selectSql).isEmpty()) {
            copy = "COPY (" + stripSemicolon(copy) + "\n) TO STDOUT WITH (FORMAT csv, HEADER)";
        }
        Optional<String> delete =
                deleteSql.map(sql -> renderFile(DELETE_FILE, sql, parameters, standardConformingStrings));
        return new RenderedTask(this, copy, delete);
    }

    private String renderFile(
            String file, String sql, Map<String, String> parameters, boolean standardConformingStrings) {
        for (String parameter : SqlText.parameterNames(sql)) {
            if (!parameters.containsKey(parameter)) {
                throw new FerryException(
                        PostgresErrorCode.BAD_PARAMETER,
                        "task '" + name + "': " + file + " (" + directory.resolve(file) + ") uses :" + parameter
                                + " but no value was given; add --param " + parameter + "=VALUE");
            }
            if (parameters.get(parameter).indexOf('\0') >= 0) {
                throw new FerryException(
                        PostgresErrorCode.BAD_PARAMETER,
                        "task '" + name + "': the value of --param " + parameter
                                + " holds a NUL character, which PostgreSQL text cannot hold");
            }
        }
        return SqlText.render(sql, parameters, standardConformingStrings);
    }

    private static String stripSemicolon(String sql) {
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text;
    }

    private static String read(String name, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw broken(name, file, "cannot be read: " + e);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw broken(name, file, "is not UTF-8 text; save it as UTF-8");
        }
    }

    static FerryException broken(String name, Path file, String reason) {
        return new FerryException(PostgresErrorCode.BAD_TASK, "task '" + name + "': " + file + ": " + reason);
    }

    /** The statements of one run of a task, parameters inlined. */
    public record RenderedTask(TaskFolder folder, String copySql, Optional<String> deleteSql) {
        public RenderedTask {
            requireNonNull(folder, "folder is null");
            requireNonNull(copySql, "copySql is null");
            requireNonNull(deleteSql, "deleteSql is null");
        }

        /** The exported query without its COPY wrapper, for counting in a dry run. */
        public String query() {
            return SqlText.copyQuery(copySql).orElseThrow();
        }

        public List<String> statements() {
            return deleteSql.map(delete -> List.of(copySql, delete)).orElse(List.of(copySql));
        }
    }
}
