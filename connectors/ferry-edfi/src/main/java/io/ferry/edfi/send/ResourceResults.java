package io.ferry.edfi.send;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The outcome of one resource in a run: counts, successes by status, failures grouped with their lines. */
public final class ResourceResults {
    private record FailureKey(int status, String message, String file) {}

    private final String name;
    private long processed;
    private long skipped;
    private long failed;
    private final Map<Integer, Long> successes = new TreeMap<>();
    private final Map<FailureKey, List<Long>> failures = new java.util.LinkedHashMap<>();

    ResourceResults(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public synchronized void skipped() {
        processed++;
        skipped++;
    }

    /** A payload that passed without an HTTP answer (validate). */
    public synchronized void passed() {
        processed++;
    }

    public synchronized void succeeded(int status) {
        processed++;
        successes.merge(status, 1L, Long::sum);
    }

    /** A payload that failed; {@code status} 0 when it got no HTTP answer (not sent, or the connection failed). */
    public synchronized void failed(int status, String message, String file, long line) {
        processed++;
        failed++;
        failures.computeIfAbsent(new FailureKey(status, message, file), key -> new ArrayList<>())
                .add(line);
    }

    public synchronized long processedCount() {
        return processed;
    }

    public synchronized long skippedCount() {
        return skipped;
    }

    public synchronized long failedCount() {
        return failed;
    }

    public synchronized Map<Integer, Long> successCounts() {
        return Map.copyOf(successes);
    }

    /** Failure messages with their counts, most frequent first: for the console summary. */
    public synchronized List<String> failureSummary(int max) {
        List<Map.Entry<FailureKey, List<Long>>> entries = new ArrayList<>(failures.entrySet());
        entries.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<FailureKey, List<Long>> entry : entries.subList(0, Math.min(max, entries.size()))) {
            List<Long> numbers = new ArrayList<>(entry.getValue());
            numbers.sort(null);
            String shown = numbers.size() > 10 ? numbers.subList(0, 10) + "..." : numbers.toString();
            lines.add(entry.getKey().message() + " (" + numbers.size() + "x, "
                    + entry.getKey().file() + " lines " + shown.replace("[", "").replace("]", "") + ")");
        }
        return lines;
    }

    synchronized ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode node = json.objectNode();
        if (!failures.isEmpty()) {
            ArrayNode list = node.putArray("failures");
            List<Map.Entry<FailureKey, List<Long>>> entries = new ArrayList<>(failures.entrySet());
            entries.sort((a, b) -> {
                int byStatus = Integer.compare(a.getKey().status(), b.getKey().status());
                if (byStatus != 0) {
                    return byStatus;
                }
                int byMessage = a.getKey().message().compareTo(b.getKey().message());
                return byMessage != 0
                        ? byMessage
                        : a.getKey().file().compareTo(b.getKey().file());
            });
            for (Map.Entry<FailureKey, List<Long>> entry : entries) {
                ObjectNode failure = list.addObject();
                if (entry.getKey().status() != 0) {
                    failure.put("status_code", entry.getKey().status());
                }
                failure.put("message", entry.getKey().message());
                failure.put("file", entry.getKey().file());
                List<Long> lines = new ArrayList<>(entry.getValue());
                lines.sort(null);
                ArrayNode numbers = failure.putArray("line_numbers");
                lines.forEach(numbers::add);
                failure.put("count", lines.size());
            }
        }
        if (!successes.isEmpty()) {
            ArrayNode list = node.putArray("successes");
            successes.forEach((status, count) -> {
                ObjectNode success = list.addObject();
                success.put("status_code", status);
                success.put("count", count);
            });
        }
        node.put("records_processed", processed);
        node.put("records_skipped", skipped);
        node.put("records_failed", failed);
        return node;
    }
}
