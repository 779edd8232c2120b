package io.ferry.server;

import java.util.List;

/**
 * A kind of job the server can run ({@code export}, {@code import}, {@code db-export}). The server
 * validates a request with {@link #validate} before it creates the job, then calls {@link #run}
 * on the job's own thread for each run: the first, every resume, and after a restart of the server.
 */
public interface JobKind {
    /** The name clients use in {@code "kind"}. */
    String name();

    /** One line for the OpenAPI document and the dashboard. */
    String summary();

    /**
     * Every problem with {@code request}, each naming its field; empty when the job can start.
     * Must not write anything.
     */
    List<FieldError> validate(JobRequest request);

    /**
     * Runs the job until it finishes, fails, or {@code context.stop()} asks it to pause; running the
     * same request again with the same job id continues from its checkpoints. A failure is returned
     * as a FAILED result, not thrown.
     */
    JobResult run(JobRequest request, JobContext context);
}
