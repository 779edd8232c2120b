package io.ferry.core.report;

import java.util.List;

/** Failures that share a code and message, with the splits they happened in. */
public record FailureGroup(String code, String kind, String message, int count, List<String> splits) {
    public FailureGroup {
        splits = List.copyOf(splits);
    }
}
