package io.ferry.cli;

import io.ferry.spi.error.ErrorKind;

/** The exit codes of every command; documented in the README and in {@code ferry --help}. */
public final class ExitCode {
    public static final int OK = 0;
    /** The work ran but found problems: {@code verify} found gaps, a job finished with failed splits. */
    public static final int PROBLEMS = 1;

    public static final int USER_INPUT = 2;
    public static final int EXTERNAL = 3;
    public static final int INTERNAL = 4;
    /** Paused at a checkpoint (Ctrl-C, SIGTERM); the same command resumes. Like EX_TEMPFAIL. */
    public static final int PAUSED = 75;

    private ExitCode() {}

    public static int of(ErrorKind kind) {
        return switch (kind) {
            case USER_INPUT -> USER_INPUT;
            case EXTERNAL -> EXTERNAL;
            case INTERNAL -> INTERNAL;
        };
    }

    /** The section that {@code --help} prints under every command. */
    public static final String HELP = """
            Exit codes:
              0   done
              1   done, but problems were found (verify found gaps; some splits failed)
              2   bad input: an option, a path or a file's contents; the message says what to fix
              3   an external system failed: a disk, a bucket, a broker; often worth a retry
              4   a bug in ferry; please report it with the message
              75  paused at a checkpoint (Ctrl-C or SIGTERM); run the same command to resume""";
}
