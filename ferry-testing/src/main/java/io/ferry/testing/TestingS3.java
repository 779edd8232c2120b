package io.ferry.testing;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3 server in this JVM (s3proxy over an in-memory blob store) on a free loopback port, for
 * tests that need a real S3 API. Requests must be signed (AWS signature v2 or v4) with {@link
 * #accessKey()} and {@link #secretKey()}; buckets are addressed path-style, as in {@code
 * http://127.0.0.1:PORT/bucket/key}. Everything is lost on {@link #close()}.
 */
public final class TestingS3 implements AutoCloseable {
    /** Dummy credentials: the server accepts only these, and they open nothing anywhere else. */
    public static final String ACCESS_KEY = "ferry-testing-access-key";

    public static final String SECRET_KEY = "ferry-testing-secret-key";

    /** The region clients should sign for; s3proxy accepts any. */
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final BlobStore blobStore;
    private final S3Proxy proxy;
    private final URI endpoint;

    private TestingS3(BlobStore blobStore, S3Proxy proxy, URI endpoint) {
        this.blobStore = blobStore;
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts a server with no buckets. */
    public static TestingS3 start() {
        BlobStore blobStore = new TransientNio2BlobStore();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!proxy.getState().equals("STARTED")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "s3proxy did not start within " + START_TIMEOUT + " (state " + proxy.getState() + ")");
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            stopQuietly(proxy, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start s3proxy on a loopback port: " + e, e);
        }
        return new TestingS3(blobStore, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    /** Starts a server with the given buckets. */
    public static TestingS3 startWithBuckets(String... buckets) {
        TestingS3 s3 = start();
        for (String bucket : buckets) {
            s3.createBucket(bucket);
        }
        return s3;
    }

    /** The server's base URI, such as {@code http://127.0.0.1:43127}; use path-style addressing. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** Creates an empty bucket; a no-op when it exists. */
    public void createBucket(String bucket) {
        requireNonNull(bucket, "bucket is null");
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not stop s3proxy at " + endpoint + ": " + e, e);
        } finally {
            blobStore.close();
        }
    }

    private static void stopQuietly(S3Proxy proxy, Exception failure) {
        try {
            proxy.stop();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
