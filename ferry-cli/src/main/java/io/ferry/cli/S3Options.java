package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;

import io.ferry.s3.S3Settings;
import io.ferry.spi.error.FerryException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How to reach an S3 or S3-compatible bucket. Credentials come from the AWS SDK's default chain
 * (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles) and never from an
 * option, so they stay out of shell history, job specs and logs.
 */
public final class S3Options {
    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            description = "An S3-compatible endpoint instead of AWS (MinIO, Ceph, s3proxy); implies path-style"
                    + " access. Example: --s3-endpoint http://127.0.0.1:9000")
    @Nullable
    String endpoint;

    @Option(
            names = "--s3-region",
            paramLabel = "REGION",
            description = "The bucket's region. Default: $AWS_REGION, else $AWS_DEFAULT_REGION, else us-east-1."
                    + " Example: --s3-region eu-west-1")
    @Nullable
    String region;

    @Option(
            names = "--s3-path-style",
            description = "Address buckets as https://host/bucket rather than https://bucket.host (implied by"
                    + " --s3-endpoint). Example: --s3-path-style")
    boolean pathStyle;

    @Option(
            names = "--s3-part-size",
            paramLabel = "SIZE",
            converter = ByteSize.class,
            description = "Multipart upload part size, 5MiB to 1GiB; memory per object being written is about"
                    + " part size x (parts in flight + 1). Default: 8MiB. Example: --s3-part-size 16MiB")
    @Nullable
    Long partSize;

    @Option(
            names = "--s3-parts-in-flight",
            paramLabel = "N",
            description = "Parts of one object uploaded at once. Default: 2. Example: --s3-parts-in-flight 4")
    @Nullable
    Integer partsInFlight;

    @Option(
            names = "--s3-max-retries",
            paramLabel = "N",
            description = "Retries of a failed S3 request (500, 503 SlowDown, dropped connections) before the job"
                    + " stops at its last checkpoint. Default: 5. Example: --s3-max-retries 10")
    @Nullable
    Integer maxRetries;

    S3Settings settings() {
        try {
            S3Settings settings = S3Settings.forRegion(region());
            if (endpoint != null) {
                settings = settings.withEndpoint(new URI(endpoint)).withPathStyle(true);
            }
            if (pathStyle) {
                settings = settings.withPathStyle(true);
            }
            if (partSize != null) {
                settings = settings.withPartSizeBytes(partSize);
            }
            if (partsInFlight != null) {
                settings = settings.withPartsInFlight(partsInFlight);
            }
            if (maxRetries != null) {
                settings = settings.withMaxRetries(maxRetries);
            }
            return settings;
        } catch (URISyntaxException e) {
            throw new FerryException(
                    BAD_OPTION,
                    "--s3-endpoint must be a URL, got '" + endpoint
                            + "' (example: --s3-endpoint http://127.0.0.1:9000)",
                    e);
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
    }

    private String region() {
        if (region != null && !region.isBlank()) {
            return region;
        }
        for (String variable : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "us-east-1";
    }

    /** What of these options decides where data goes, for job specs. */
    Map<String, String> spec() {
        Map<String, String> spec = new TreeMap<>();
        if (endpoint != null) {
            spec.put("--s3-endpoint", endpoint);
        }
        if (region != null) {
            spec.put("--s3-region", region);
        }
        return spec;
    }
}
