package io.ferry.s3;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.ObjectUpload;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An object store over an S3 bucket, or the part of it under a prefix: see {@link S3Location} for
 * how the store's keys map to S3 keys. Objects are written with streamed multipart uploads holding
 * at most {@link S3Settings#maxBufferedBytesPerUpload()} bytes each (a single PUT when the object
 * fits in one part), and appear only when the upload completes; a commit replaces any object under
 * the same key, unless the upload came from {@link #createNew}. Every request is retried by the SDK's standard retry strategy (throttling, 5xx and
 * connection errors), and reads resume with a ranged GET when a connection drops mid-object.
 *
 * <p>Credentials come from {@link S3Settings#credentials()} or the SDK's default chain and are
 * never part of a message or log line.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final S3Client client;
    private final S3Location location;
    private final S3Settings settings;
    private final ExecutorService partUploads;
    private final ConditionalWrites conditionalWrites = new ConditionalWrites();

    S3ObjectStore(S3Client client, S3Location location, S3Settings settings) {
        this.client = requireNonNull(client, "client is null");
        this.location = requireNonNull(location, "location is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.partUploads = Executors.newCachedThreadPool(new PartUploadThreads(location));
    }

    /** A store at {@code location} ({@code s3://bucket} or {@code s3://bucket/prefix}); no request is made yet. */
    public static S3ObjectStore open(String location, S3Settings settings) {
        return open(S3Location.parse(location), settings);
    }

    /** A store at {@code location}; no request is made yet. */
    public static S3ObjectStore open(S3Location location, S3Settings settings) {
        requireNonNull(location, "location is null");
        requireNonNull(settings, "settings is null");
        return new S3ObjectStore(client(settings), location, settings);
    }

    private static S3Client client(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder()
                        // parts in flight of several uploads, plus reads and listings
                        .maxConnections(Math.max(50, 4 * settings.partsInFlight())))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxRetries() + 1)
                        .build()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public S3Location location() {
        return location;
    }

    public String bucket() {
        return location.bucket();
    }

    /** The key prefix inside the bucket, without a trailing '/'; {@code ""} for the whole bucket. */
    public String prefix() {
        return location.prefix();
    }

    public S3Settings settings() {
        return settings;
    }

    /** {@code s3://bucket/prefix}: no endpoint, no credentials. */
    @Override
    public String describe() {
        return location.toString();
    }

    @Override
    public List<StoredObject> list(String prefix) {
        String s3Prefix = s3Prefix(prefix);
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(
                            b -> b.bucket(location.bucket()).prefix(s3Prefix))
                    .contents()) {
                storeKey(object.key()).ifPresent(key -> objects.add(new StoredObject(key, object.size())));
            }
        } catch (SdkException e) {
            throw failure("list", url(s3Prefix), e);
        }
        // S3 sorts by UTF-8 bytes; the store's contract is String order, as LocalDirectoryStore's
        objects.sort(Comparator.comparing(StoredObject::key));
        return objects;
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        String s3Key = s3Key(key);
        try {
            HeadObjectResponse head =
                    client.headObject(b -> b.bucket(location.bucket()).key(s3Key));
            return Optional.of(new StoredObject(key, head.contentLength()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return Optional.empty();
            }
            throw failure("read the metadata of", url(s3Key), e);
        } catch (SdkException e) {
            throw failure("read the metadata of", url(s3Key), e);
        }
    }

    @Override
    public InputStream open(String key) {
        String s3Key = s3Key(key);
        GetObjectRequest request =
                GetObjectRequest.builder().bucket(location.bucket()).key(s3Key).build();
        ResponseInputStream<GetObjectResponse> first;
        try {
            first = client.getObject(request);
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                throw new FerryException(
                        StandardErrorCode.NOT_FOUND,
                        "object '" + key + "' does not exist in " + describe()
                                + "; check the prefix, or run 'ferry verify' to check the archive",
                        e);
            }
            throw failure("read", url(s3Key), e);
        } catch (SdkException e) {
            throw failure("read", url(s3Key), e);
        }
        return new ResumingObjectStream(client, request, first, settings.maxRetries(), url(s3Key));
    }

    @Override
    public ObjectUpload create(String key) {
        String s3Key = s3Key(key);
        return new S3ObjectUpload(client, location.bucket(), s3Key, url(s3Key), settings, partUploads, null);
    }

    /**
     * As {@link #create}, but the commit is create-only ({@code If-None-Match: *}): it fails with
     * {@code TARGET_EXISTS} when another writer's object is under the key. A store that answers that it
     * does not implement conditional writes gets plain ones from then on (logged once).
     */
    @Override
    public ObjectUpload createNew(String key) {
        String s3Key = s3Key(key);
        return new S3ObjectUpload(
                client, location.bucket(), s3Key, url(s3Key), settings, partUploads, conditionalWrites);
    }

    @Override
    public void delete(String key) {
        String s3Key = s3Key(key);
        try {
            client.deleteObject(b -> b.bucket(location.bucket()).key(s3Key));
        } catch (SdkException e) {
            throw failure("delete", url(s3Key), e);
        }
    }

    @Override
    public void abortIncompleteUploads(String prefix) {
        String s3Prefix = s3Prefix(prefix);
        int aborted = 0;
        try {
            for (MultipartUpload upload : client.listMultipartUploadsPaginator(
                            b -> b.bucket(location.bucket()).prefix(s3Prefix))
                    .uploads()) {
                try {
                    client.abortMultipartUpload(
                            b -> b.bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId()));
                    aborted++;
                } catch (S3Exception e) {
                    if (e.statusCode() != 404) { // NoSuchUpload: completed or aborted meanwhile
                        throw failure("abort the incomplete upload of", url(upload.key()), e);
                    }
                }
            }
        } catch (SdkException e) {
            throw failure("list the incomplete uploads under", url(s3Prefix), e);
        }
        if (aborted > 0) {
            log.info("Aborted {} incomplete multipart upload(s) under {}", aborted, url(s3Prefix));
        }
    }

    /**
     * Waits up to {@link #CLOSE_TIMEOUT} for part uploads still running (of uploads that were
     * neither committed nor aborted), then closes the client.
     */
    @Override
    public void close() {
        partUploads.shutdown();
        try {
            if (!partUploads.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Part uploads to {} still running after {}; closing anyway", describe(), CLOSE_TIMEOUT);
                partUploads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            partUploads.shutdownNow();
        } finally {
            client.close();
        }
    }

    /** The S3 key of a store key, after checking it names an object the way LocalDirectoryStore's do. */
    private String s3Key(String key) {
        requireNonNull(key, "key is null");
        if (key.isEmpty() || key.endsWith("/")) {
            throw new IllegalArgumentException("object key must name an object, got '" + key + "'");
        }
        checkRelative(key);
        return location.keyOf(key);
    }

    /** The S3 prefix of a store prefix; {@code ""} is every object of the store. */
    private String s3Prefix(String prefix) {
        requireNonNull(prefix, "prefix is null");
        if (prefix.isEmpty()) {
            return location.prefix().isEmpty() ? "" : location.prefix() + "/";
        }
        int slash = prefix.lastIndexOf('/');
        if (slash > 0) {
            checkRelative(prefix.substring(0, slash));
        } else if (slash == 0) {
            checkRelative(prefix);
        }
        return location.keyOf(prefix);
    }

    private static void checkRelative(String relative) {
        if (relative.startsWith("/") || relative.contains("\\")) {
            throw new IllegalArgumentException(
                    "object key must be relative and use '/' separators, got '" + relative + "'");
        }
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(
                        "object key must not contain empty, '.' or '..' segments, got '" + relative + "'");
            }
        }
    }

    /** The store key of an S3 key under the store's prefix; empty for keys the store cannot name. */
    private Optional<String> storeKey(String s3Key) {
        String root = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        if (!s3Key.startsWith(root)) {
            return Optional.empty();
        }
        String key = s3Key.substring(root.length());
        // "folder" markers (key/) made by consoles, and keys with a '//' after the prefix
        if (key.isEmpty() || key.endsWith("/") || key.startsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(key);
    }

    private String url(String s3Key) {
        return "s3://" + location.bucket() + "/" + s3Key;
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return errorCode(e).equals("NoSuchBucket");
    }

    /** The S3 error code of {@code e} ({@code NoSuchKey}, {@code SlowDown}...); empty when it has none. */
    static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? ""
                : e.awsErrorDetails().errorCode();
    }

    /**
     * The error for a failed request on {@code url} ({@code s3://bucket/key}): what was tried, the
     * cause in S3's words, and what to do. Never mentions credentials' values.
     */
    static FerryException failure(String action, String url, SdkException e) {
        String what = "could not " + action + " " + url + ": ";
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            if (isNoSuchBucket(s3)) {
                return new FerryException(
                        StandardErrorCode.NOT_FOUND,
                        what + "the bucket does not exist; create it, or check the bucket name, --s3-endpoint and"
                                + " --s3-region",
                        e);
            }
            if (s3.statusCode() == 403) {
                return new FerryException(
                        StandardErrorCode.IO_ERROR,
                        what + s3.getMessage() + "; check the credentials (AWS_ACCESS_KEY_ID and"
                                + " AWS_SECRET_ACCESS_KEY, or AWS_PROFILE), that they may do this in the bucket,"
                                + " and --s3-region",
                        e);
            }
            if (s3.statusCode() == 301 || code.equals("AuthorizationHeaderMalformed")) {
                String region = s3.awsErrorDetails() == null
                        ? ""
                        : s3.awsErrorDetails()
                                .sdkHttpResponse()
                                .firstMatchingHeader("x-amz-bucket-region")
                                .map(r -> " (the bucket is in " + r + ")")
                                .orElse("");
                return new FerryException(
                        StandardErrorCode.BAD_OPTION,
                        what + s3.getMessage() + "; the bucket is in another region: set --s3-region" + region,
                        e);
            }
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials")) {
            return new FerryException(
                    StandardErrorCode.BAD_OPTION,
                    what + e.getMessage() + "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE",
                    e);
        }
        return new FerryException(
                StandardErrorCode.IO_ERROR,
                what + e.getMessage() + "; check the network, --s3-endpoint and the"
                        + " service's health, then re-run (the job resumes)",
                e);
    }

    /** Daemon threads named after the store, so a stuck upload is easy to spot in a thread dump. */
    private static final class PartUploadThreads implements ThreadFactory {
        private final String name;
        private final AtomicInteger count = new AtomicInteger();

        PartUploadThreads(S3Location location) {
            this.name = "ferry-s3-parts-" + location.bucket() + "-";
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, name + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
