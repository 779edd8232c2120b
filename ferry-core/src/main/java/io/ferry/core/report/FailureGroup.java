package io.ferry.core.report;

import java.util.List;

/**
 * Failures of one cause (a code and a message that differ only in the split they name), with the
 * first split's message as it was and every split it happened in.
 */
public record FailureGroup(String code, String kind, String message, int count, List<String> splits) {
    public FailureGroup {
        splits = List.copyOf(splits);
    }
}
