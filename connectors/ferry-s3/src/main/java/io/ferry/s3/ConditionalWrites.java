package io.ferry.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Create-only writes ({@code If-None-Match: *}) on one store: whether the store takes them, learnt
 * from its answers (on until it says it does not implement them), and how to read its refusals.
 */
final class ConditionalWrites {
    private static final Logger log = LoggerFactory.getLogger(ConditionalWrites.class);

    private volatile boolean supported = true;

    /** False once the store said it does not implement conditional writes. */
    boolean supported() {
        return supported;
    }

    /**
     * Whether {@code e} says the store does not implement conditional writes; if so they are off for
     * this store from now on, and the caller writes without the condition.
     */
    boolean unsupported(S3Exception e, String url) {
        if (e.statusCode() != 501 && !S3ObjectStore.errorCode(e).equals("NotImplemented")) {
            return false;
        }
        if (supported) {
            supported = false;
            log.warn(
                    "The S3 store of {} does not take conditional writes (If-None-Match); writing without them, so"
                            + " two jobs writing the same objects at once would not be told apart: {}",
                    url,
                    e.getMessage());
        }
        return true;
    }

    /** Whether {@code e} is the store refusing a create-only write: an object is already there. */
    static boolean isConflict(S3Exception e) {
        return e.statusCode() == 412
                || (e.statusCode() == 409 && S3ObjectStore.errorCode(e).equals("ConditionalRequestConflict"));
    }

    /**
     * The ETag S3 gives an object completed from {@code parts}: the MD5 of their MD5s, a dash and the
     * part count, in lower case and without quotes; empty when a part's ETag is not an MD5.
     */
    static String multipartETag(List<CompletedPart> parts) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        for (CompletedPart part : parts) {
            String etag = unquoted(part.eTag());
            if (etag.length() != 32 || !etag.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return "";
            }
            md5.update(HexFormat.of().parseHex(etag));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
    }

    /** An ETag without its quotes, in lower case. */
    static String unquoted(String etag) {
        String bare = etag == null ? "" : etag.strip();
        if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        return bare.toLowerCase(Locale.ROOT);
    }
}
