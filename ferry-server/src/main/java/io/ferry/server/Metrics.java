package io.ferry.server;

import java.util.List;
import java.util.Optional;

/** The registry's jobs in the Prometheus text format: records, bytes, errors, lag and state per job. */
final class Metrics {
    private Metrics() {}

    static String render(JobRegistry registry) {
        List<TrackedJob> jobs = registry.list(Optional.empty());
        StringBuilder text = new StringBuilder();
        StringBuilder records = header("ferry_job_records_total", "counter", "Records the job has moved.");
        StringBuilder bytes = header("ferry_job_bytes_total", "counter", "Bytes the job has moved.");
        StringBuilder errors =
                header("ferry_job_errors", "gauge", "Failed splits of the job, or 1 when it failed as a whole.");
        StringBuilder lag = header(
                "ferry_job_lag", "gauge", "What the job has still to move, in its progress unit (-1 when unknown).");
        StringBuilder rate = header("ferry_job_records_per_second", "gauge", "The job's current rate.");
        StringBuilder state = header("ferry_job_state", "gauge", "1 for the state the job is in, 0 for the others.");
        for (TrackedJob job : jobs) {
            JobRegistry.Totals totals = registry.totals(job);
            String labels = "job=\"" + escape(job.id()) + "\",kind=\""
                    + escape(job.kind().name()) + "\"";
            ServedState current = job.state();
            line(records, "ferry_job_records_total", labels, totals.records());
            line(bytes, "ferry_job_bytes_total", labels, totals.bytes());
            long failures = totals.failedSplits();
            if (failures == 0 && current == ServedState.FAILED) {
                failures = 1;
            }
            line(errors, "ferry_job_errors", labels, failures);
            line(lag, "ferry_job_lag", labels, totals.total() < 0 ? -1 : Math.max(0, totals.total() - totals.done()));
            line(rate, "ferry_job_records_per_second", labels, Math.round(totals.recordsPerSecond()));
            for (ServedState each : ServedState.values()) {
                line(state, "ferry_job_state", labels + ",state=\"" + each.label() + "\"", each == current ? 1 : 0);
            }
        }
        text.append(records)
                .append(bytes)
                .append(errors)
                .append(lag)
                .append(rate)
                .append(state);
        text.append("# HELP ferry_jobs Jobs known to the server.\n# TYPE ferry_jobs gauge\nferry_jobs ")
                .append(jobs.size())
                .append('\n');
        return text.toString();
    }

    private static StringBuilder header(String name, String type, String help) {
        return new StringBuilder("# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n");
    }

    private static void line(StringBuilder text, String name, String labels, long value) {
        text.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
