package io.ferry.s3;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object's bytes from a GET that, when the connection fails mid-object, continues with a ranged
 * GET from the first byte not yet read, pinned to the same version of the object by its ETag: a
 * long read of a large object survives the dropped connections the SDK's retries cannot cover
 * (they end once the response has started). At most {@code maxRetries} resumes in a row without
 * progress.
 */
final class ResumingObjectStream extends InputStream {
    private static final Logger log = LoggerFactory.getLogger(ResumingObjectStream.class);

    private final S3Client client;
    private final GetObjectRequest request;
    private final int maxRetries;
    private final String url;
    private final long length;
    private final @Nullable String eTag;

    private @Nullable ResponseInputStream<GetObjectResponse> current;
    private long position;
    private int failuresWithoutProgress;

    ResumingObjectStream(
            S3Client client,
            GetObjectRequest request,
            ResponseInputStream<GetObjectResponse> first,
            int maxRetries,
            String url) {
        this.client = client;
        this.request = request;
        this.current = first;
        this.maxRetries = maxRetries;
        this.url = url;
        Long contentLength = first.response().contentLength();
        this.length = contentLength == null ? -1 : contentLength;
        this.eTag = first.response().eTag();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int size) throws IOException {
        if (size == 0) {
            return 0;
        }
        while (true) {
            if (length >= 0 && position >= length) {
                return -1;
            }
            ResponseInputStream<GetObjectResponse> in = current();
            try {
                int n = in.read(bytes, offset, size);
                if (n < 0) {
                    if (length >= 0 && position < length) {
                        throw new IOException("the response ended after " + position + " of " + length + " bytes");
                    }
                    return -1;
                }
                position += n;
                failuresWithoutProgress = 0;
                return n;
            } catch (IOException | SdkException e) {
                abortCurrent();
                if (length < 0 || eTag == null || ++failuresWithoutProgress > maxRetries) {
                    throw new IOException(
                            "could not read " + url + " after byte " + position + ": " + e.getMessage()
                                    + "; check the network and --s3-endpoint, then re-run",
                            e);
                }
                log.debug("Resuming {} at byte {} after: {}", url, position, e.toString());
            }
        }
    }

    @Override
    public void close() {
        abortCurrent();
    }

    private ResponseInputStream<GetObjectResponse> current() throws IOException {
        ResponseInputStream<GetObjectResponse> in = current;
        if (in != null) {
            return in;
        }
        try {
            in = client.getObject(request.toBuilder()
                    .range("bytes=" + position + "-")
                    .ifMatch(eTag)
                    .build());
        } catch (SdkException e) {
            throw new IOException(
                    "could not resume reading " + url + " at byte " + position + ": " + e.getMessage()
                            + "; if the object was replaced meanwhile, re-run",
                    e);
        }
        current = in;
        return in;
    }

    /** Drops the connection instead of draining the rest of the object into the void. */
    private void abortCurrent() {
        ResponseInputStream<GetObjectResponse> in = current;
        current = null;
        if (in == null) {
            return;
        }
        if (length < 0 || position < length) {
            in.abort();
        }
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Ignoring a failure to close the response of {}", url, e);
        }
    }
}
