package io.ferry.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach S3 and how to upload.
 *
 * <ul>
 *   <li>{@code endpoint}: an S3-compatible server such as {@code http://127.0.0.1:9000} (MinIO, Ceph,
 *       R2...); empty for AWS, where the SDK derives it from the region.
 *   <li>{@code region}: the region requests are signed for, and on AWS where the bucket is.
 *   <li>{@code pathStyle}: address buckets as {@code endpoint/bucket/key} instead of {@code
 *       bucket.endpoint/key}; most S3-compatible servers need it.
 *   <li>{@code partSizeBytes}: the multipart upload part size, and so the memory one upload holds
 *       per buffered part; an object can have at most {@value #MAX_PARTS} parts.
 *   <li>{@code partsInFlight}: how many parts of one object upload concurrently while the next is
 *       filled: one upload holds at most {@code partSizeBytes * (partsInFlight + 1)} bytes.
 *   <li>{@code maxRetries}: retries of each request after a throttling, server or connection error,
 *       with the SDK's standard exponential backoff.
 *   <li>{@code credentials}: explicit keys; empty to use the SDK's default chain ({@code
 *       AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}, {@code
 *       AWS_PROFILE}, web identity, container or instance roles).
 * </ul>
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        long partSizeBytes,
        int partsInFlight,
        int maxRetries,
        Optional<StaticCredentials> credentials) {
    public static final long MIN_PART_SIZE_BYTES = 5L << 20;
    public static final long DEFAULT_PART_SIZE_BYTES = 8L << 20;
    /** S3 allows 5 GiB parts; one part is one Java array here, so less. */
    public static final long MAX_PART_SIZE_BYTES = 1L << 30;

    public static final int MAX_PARTS = 10_000;
    public static final int DEFAULT_PARTS_IN_FLIGHT = 2;
    public static final int MAX_PARTS_IN_FLIGHT = 64;
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final int MAX_RETRIES = 20;

    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public S3Settings {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        endpoint.ifPresent(S3Settings::checkEndpoint);
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("--s3-region must be a region name such as eu-west-1, got '" + region
                    + "' (S3-compatible servers usually accept us-east-1)");
        }
        if (partSizeBytes < MIN_PART_SIZE_BYTES || partSizeBytes > MAX_PART_SIZE_BYTES) {
            throw new IllegalArgumentException("--s3-part-size must be between 5MiB (the S3 minimum) and 1GiB, got "
                    + partSizeBytes + " bytes (example: --s3-part-size 16MiB)");
        }
        if (partsInFlight < 1 || partsInFlight > MAX_PARTS_IN_FLIGHT) {
            throw new IllegalArgumentException("--s3-parts-in-flight must be in [1, " + MAX_PARTS_IN_FLIGHT + "], got "
                    + partsInFlight + " (example: --s3-parts-in-flight 2)");
        }
        if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
            throw new IllegalArgumentException("--s3-max-retries must be in [0, " + MAX_RETRIES + "], got " + maxRetries
                    + " (example: --s3-max-retries 5)");
        }
    }

    /** AWS in {@code region}, virtual-hosted addressing, default credentials, 8 MiB parts, 2 in flight. */
    public static S3Settings forRegion(String region) {
        return new S3Settings(
                Optional.empty(),
                region,
                false,
                DEFAULT_PART_SIZE_BYTES,
                DEFAULT_PARTS_IN_FLIGHT,
                DEFAULT_MAX_RETRIES,
                Optional.empty());
    }

    /** The defaults against an S3-compatible server at {@code endpoint}, path-style. */
    public static S3Settings forEndpoint(URI endpoint, String region) {
        return forRegion(region).withEndpoint(endpoint).withPathStyle(true);
    }

    public S3Settings withEndpoint(URI endpoint) {
        return new S3Settings(
                Optional.of(endpoint), region, pathStyle, partSizeBytes, partsInFlight, maxRetries, credentials);
    }

    public S3Settings withPathStyle(boolean pathStyle) {
        return new S3Settings(endpoint, region, pathStyle, partSizeBytes, partsInFlight, maxRetries, credentials);
    }

    public S3Settings withPartSizeBytes(long partSizeBytes) {
        return new S3Settings(endpoint, region, pathStyle, partSizeBytes, partsInFlight, maxRetries, credentials);
    }

    public S3Settings withPartsInFlight(int partsInFlight) {
        return new S3Settings(endpoint, region, pathStyle, partSizeBytes, partsInFlight, maxRetries, credentials);
    }

    public S3Settings withMaxRetries(int maxRetries) {
        return new S3Settings(endpoint, region, pathStyle, partSizeBytes, partsInFlight, maxRetries, credentials);
    }

    public S3Settings withCredentials(StaticCredentials credentials) {
        return new S3Settings(
                endpoint, region, pathStyle, partSizeBytes, partsInFlight, maxRetries, Optional.of(credentials));
    }

    /** The most bytes one upload buffers: the part being filled and the parts in flight. */
    public long maxBufferedBytesPerUpload() {
        return partSizeBytes * (partsInFlight + 1L);
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = (scheme.equals("http") || scheme.equals("https"))
                && endpoint.getHost() != null
                && endpoint.getRawQuery() == null
                && endpoint.getRawFragment() == null
                && endpoint.getRawUserInfo() == null;
        if (!ok) {
            throw new IllegalArgumentException("--s3-endpoint must be an http or https URL with a host and no"
                    + " credentials, query or fragment, got '" + redactUserInfo(endpoint)
                    + "' (example: --s3-endpoint http://127.0.0.1:9000)");
        }
    }

    /** The endpoint without any user info, which could hold a secret. */
    private static String redactUserInfo(URI endpoint) {
        if (endpoint.getRawUserInfo() == null) {
            return endpoint.toString();
        }
        return endpoint.toString().replace(endpoint.getRawUserInfo() + "@", "****@");
    }
}
