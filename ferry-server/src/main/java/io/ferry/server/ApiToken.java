package io.ferry.server;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bearer token every request but {@code /healthz} must carry. Compared in constant time. Its
 * value never appears in {@link #toString()}.
 */
public final class ApiToken {
    public static final String FILE_NAME = "api-token";
    public static final String ENVIRONMENT = "FERRY_API_TOKEN";

    private final byte[] value;

    public ApiToken(String value) {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the API token is empty; set " + ENVIRONMENT
                    + " to a long random string, or unset it to have one generated");
        }
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The token from {@code fromEnvironment} when set; else the one in {@code stateDir}/api-token;
     * else a new random one, written there with mode 0600 and printed once to {@code out}.
     */
    public static ApiToken load(String fromEnvironment, Path stateDir, PrintStream out) {
        if (!fromEnvironment.isBlank()) {
            return new ApiToken(fromEnvironment.strip());
        }
        Path file = stateDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return new ApiToken(
                        Files.readString(file, StandardCharsets.UTF_8).strip());
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            Files.createDirectories(stateDir);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            out.println("Generated the API token (shown once; kept in " + file + "):");
            out.println("  " + token);
            return new ApiToken(token);
        } catch (FileAlreadyExistsException e) {
            return load(fromEnvironment, stateDir, out);
        } catch (IOException e) {
            throw new FerryException(
                    IO_ERROR,
                    "Cannot read or create the API token file " + file + ": " + e.getMessage()
                            + " (make the state directory writable, or set " + ENVIRONMENT + ")",
                    e);
        }
    }

    /** True when the {@code Authorization} header value carries this token. */
    public boolean admits(String authorization) {
        String prefix = "Bearer ";
        if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        byte[] given = authorization.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(value, given);
    }

    @Override
    public String toString() {
        return "ApiToken[****]";
    }
}
