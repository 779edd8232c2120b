package io.ferry.s3;

import static java.util.Objects.requireNonNull;

/**
 * An access key pair given explicitly (tests, embedding) instead of found by the SDK's default
 * chain. Secret: {@link #toString()} shows neither part.
 */
public record StaticCredentials(String accessKeyId, String secretAccessKey) {
    public StaticCredentials {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException(
                    "static S3 credentials need a non-blank access key id and secret access key;"
                            + " leave them out to use the default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                            + " AWS_PROFILE, or an instance role)");
        }
    }

    @Override
    public String toString() {
        return "StaticCredentials[accessKeyId=****, secretAccessKey=****]";
    }
}
