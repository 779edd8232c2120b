package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.BAD_RECORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/** The chunk headers of one event that carries a piece of a larger record's value. */
record ChunkHeader(String id, int index, int count, long size, String sha256) {
    ChunkHeader {
        requireNonNull(id, "id is null");
        requireNonNull(sha256, "sha256 is null");
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("chunk " + index + " of " + count);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    List<Header> toKafkaHeaders() {
        return List.of(
                new RecordHeader(FerryHeaders.CHUNK_ID, id.getBytes(UTF_8)),
                new RecordHeader(
                        FerryHeaders.CHUNK_INDEX, Integer.toString(index).getBytes(UTF_8)),
                new RecordHeader(
                        FerryHeaders.CHUNK_COUNT, Integer.toString(count).getBytes(UTF_8)),
                new RecordHeader(FerryHeaders.CHUNK_SIZE, Long.toString(size).getBytes(UTF_8)),
                new RecordHeader(FerryHeaders.CHUNK_SHA256, sha256.getBytes(UTF_8)));
    }

    static boolean isChunkHeader(String name) {
        return name.startsWith(FerryHeaders.CHUNK_PREFIX);
    }

    /**
     * The chunk headers of an event, empty when it has none; {@code where} names the event
     * (topic/partition@offset) in the error when they are incomplete or malformed.
     */
    static Optional<ChunkHeader> parse(Headers headers, String where) {
        Header id = headers.lastHeader(FerryHeaders.CHUNK_ID);
        if (id == null) {
            for (Header header : headers) {
                if (isChunkHeader(header.key())) {
                    throw malformed(where, "it has " + header.key() + " but no " + FerryHeaders.CHUNK_ID);
                }
            }
            return Optional.empty();
        }
        byte[] idBytes = id.value();
        if (idBytes == null || idBytes.length == 0) {
            throw malformed(where, FerryHeaders.CHUNK_ID + " is empty");
        }
        try {
            int index = Integer.parseInt(text(headers, FerryHeaders.CHUNK_INDEX, where));
            int count = Integer.parseInt(text(headers, FerryHeaders.CHUNK_COUNT, where));
            long size = Long.parseLong(text(headers, FerryHeaders.CHUNK_SIZE, where));
            String sha256 = text(headers, FerryHeaders.CHUNK_SHA256, where);
            String chunkId = new String(idBytes, UTF_8);
            if (count < 1 || index < 0 || index >= count || size < 0 || sha256.length() != 64) {
                throw malformed(where, "chunk " + index + " of " + count + ", size " + size);
            }
            return Optional.of(new ChunkHeader(chunkId, index, count, size, sha256));
        } catch (NumberFormatException e) {
            throw malformed(where, "a chunk header is not a number");
        }
    }

    private static String text(Headers headers, String name, String where) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            throw malformed(where, "header " + name + " is missing");
        }
        return new String(header.value(), UTF_8);
    }

    private static FerryException malformed(String where, String why) {
        return new FerryException(
                BAD_RECORD,
                "the event at " + where + " has malformed ferry chunk headers (" + why
                        + "); it was not written by ferry's Kafka sink or was altered: remove the "
                        + FerryHeaders.CHUNK_PREFIX + "* headers or the event");
    }
}
