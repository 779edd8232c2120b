package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static io.ferry.spi.error.StandardErrorCode.NOT_FOUND;

import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.archive.store.ObjectStore;
import io.ferry.s3.S3ObjectStore;
import io.ferry.spi.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the places users name on the command line into stores and paths: a local path now;
 * {@code kafka://} and {@code s3://} as their connectors land.
 */
final class Endpoints {
    private Endpoints() {}

    /** A bucket: {@code s3://BUCKET/PREFIX}, or a local directory (created when missing). */
    static ObjectStore bucket(String location) {
        return bucket(location, new S3Options());
    }

    /** A bucket, with {@code s3} saying how to reach an S3 one. */
    static ObjectStore bucket(String location, S3Options s3) {
        if (isS3(location)) {
            return s3Bucket(location, s3);
        }
        rejectUnsupportedScheme(location, "bucket");
        return new LocalDirectoryStore(Path.of(location).toAbsolutePath().normalize());
    }

    /** A bucket that must already exist, for reading. */
    static ObjectStore existingBucket(String location, S3Options s3) {
        if (isS3(location)) {
            return s3Bucket(location, s3);
        }
        rejectUnsupportedScheme(location, "bucket");
        Path path = Path.of(location).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new FerryException(
                    NOT_FOUND,
                    "Bucket directory " + path + " does not exist" + (Files.exists(path) ? " (it is a file)" : "")
                            + "; name the directory an export wrote to, for example: ferry import ./bucket ./restored");
        }
        return new LocalDirectoryStore(path);
    }

    static boolean isS3(String location) {
        return location.regionMatches(true, 0, "s3://", 0, 5);
    }

    private static ObjectStore s3Bucket(String location, S3Options s3) {
        try {
            return S3ObjectStore.open(location, s3.settings());
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
    }

    /** A local stream file or directory that must exist. */
    static Path existingStream(String location) {
        rejectUnsupportedScheme(location, "stream");
        Path path = Path.of(location).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new FerryException(
                    NOT_FOUND,
                    "Stream " + location + " does not exist: name a JSONL file (.jsonl, .ndjson, optionally .gz or"
                            + " .zst), a directory of them, or - for standard input");
        }
        return path;
    }

    /** The canonical form of a location for job specs: absolute for paths, as given for URLs. */
    static String canonical(String location) {
        if (location.equals("-") || location.contains("://")) {
            return location;
        }
        return Path.of(location).toAbsolutePath().normalize().toString();
    }

    private static void rejectUnsupportedScheme(String location, String what) {
        int scheme = location.indexOf("://");
        if (scheme > 0) {
            String name = location.substring(0, scheme).toLowerCase(Locale.ROOT);
            throw new FerryException(
                    BAD_OPTION,
                    "'" + location + "': " + name + ":// is not supported as a " + what
                            + " in this build; use a local path (a JSONL file for streams, a directory for buckets)"
                            + (what.equals("bucket") ? " or s3://BUCKET/PREFIX" : ""));
        }
    }
}
