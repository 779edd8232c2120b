package io.ferry.s3;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Where a store lives: a bucket and a key prefix inside it ({@code ""} for the whole bucket). The
 * prefix never starts or ends with '/' and has no empty, '.' or '..' segments; an object key {@code
 * k} of the store is the S3 key {@code prefix/k} (or {@code k} when the prefix is empty).
 */
public record S3Location(String bucket, String prefix) {
    private static final String SCHEME = "s3://";
    private static final String EXAMPLE = "s3://my-bucket/exports/orders";
    // DNS-compatible bucket names: what S3 has required for new buckets since 2018.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("'" + bucket + "' is not a valid S3 bucket name: use 3 to 63"
                    + " lowercase letters, digits, '.' and '-', starting and ending with a letter or digit"
                    + " (example: " + EXAMPLE + ")");
        }
        if (!prefix.isEmpty()) {
            for (String segment : prefix.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw new IllegalArgumentException("S3 prefix '" + prefix + "' in bucket '" + bucket
                            + "' must not start or end with '/' or contain empty, '.' or '..' segments"
                            + " (example: " + EXAMPLE + ")");
                }
            }
        }
    }

    /**
     * Parses {@code s3://bucket} or {@code s3://bucket/prefix}; one trailing '/' is ignored, so
     * {@code s3://b/exports/} is {@code s3://b/exports}.
     */
    public static S3Location parse(String location) {
        requireNonNull(location, "location is null");
        if (!location.startsWith(SCHEME)) {
            throw new IllegalArgumentException(
                    "S3 location must look like s3://bucket/prefix, got '" + location + "' (example: " + EXAMPLE + ")");
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException(
                    "S3 location '" + location + "' names no bucket (example: " + EXAMPLE + ")");
        }
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("S3 location '" + location
                    + "' must not contain '?' or '#': give only a bucket and a prefix (example: " + EXAMPLE + ")");
        }
        return new S3Location(bucket, prefix);
    }

    /** The S3 key of the store's object {@code key}. */
    public String keyOf(String key) {
        requireNonNull(key, "key is null");
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    /** {@code s3://bucket} or {@code s3://bucket/prefix}. */
    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
