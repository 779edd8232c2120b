package io.ferry.core.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ferry.core.state.JobState;
import io.ferry.core.state.SplitState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one run of a job did, as written by {@code --results-file} and kept in the state store. */
public record RunReport(
        String job,
        String kind,
        JobState state,
        Instant startedAt,
        Instant finishedAt,
        long durationMillis,
        long records,
        long bytes,
        List<SplitReport> splits,
        List<FailureGroup> failures) {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public RunReport {
        requireNonNull(job, "job is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(state, "state is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        splits = List.copyOf(splits);
        failures = List.copyOf(failures);
    }

    public static RunReport of(
            String job, String kind, JobState state, Instant startedAt, Instant finishedAt, List<SplitReport> splits) {
        long records = 0;
        long bytes = 0;
        Map<String, List<SplitReport>> byReason = new LinkedHashMap<>();
        for (SplitReport split : splits) {
            records += split.recordsThisRun();
            bytes += split.bytesThisRun();
            if (split.state() == SplitState.FAILED) {
                byReason.computeIfAbsent(split.errorCode() + "\n" + reason(split), key -> new ArrayList<>())
                        .add(split);
            }
        }
        List<FailureGroup> failures = new ArrayList<>();
        byReason.forEach((reason, failed) -> {
            SplitReport first = failed.get(0);
            failures.add(new FailureGroup(
                    String.valueOf(first.errorCode()),
                    String.valueOf(first.errorKind()),
                    String.valueOf(first.error()),
                    failed.size(),
                    failed.stream().map(SplitReport::split).toList()));
        });
        return new RunReport(
                job,
                kind,
                state,
                startedAt,
                finishedAt,
                Duration.between(startedAt, finishedAt).toMillis(),
                records,
                bytes,
                splits,
                failures);
    }

    /** A split's error with the split's own name taken out, so that one cause in many splits is one group. */
    private static String reason(SplitReport split) {
        return String.valueOf(split.error()).replace(split.split(), "<split>");
    }

    public String toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a run report", e);
        }
    }

    private Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("job", job);
        map.put("kind", kind);
        map.put("state", state.name());
        map.put("startedAt", startedAt.toString());
        map.put("finishedAt", finishedAt.toString());
        map.put("durationMillis", durationMillis);
        map.put("records", records);
        map.put("bytes", bytes);
        map.put("splits", splits);
        map.put("failures", failures);
        return map;
    }

    /** Writes the report to {@code file} atomically (temporary file, then rename). */
    public void writeTo(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        Files.writeString(temporary, toJson() + System.lineSeparator());
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
