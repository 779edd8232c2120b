package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.BAD_RECORD;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the events of one topic partition, in offset order, into records: an event without chunk
 * headers is a record as it is; the chunks of a record split by the sink are put back together into
 * one record with the first chunk's key, headers (without the chunk headers), timestamp and offset.
 *
 * <p>Records come out in the order of their first offset. Chunks are normally consecutive; when
 * another writer's events lie between them, those wait behind the incomplete record (within the
 * same memory bound), and the positions of records returned meanwhile say where to read again from.
 * A missing, misordered or corrupt chunk is a {@code BAD_RECORD} failure, never a silent drop.
 */
final class ChunkAssembler {
    private static final Logger log = LoggerFactory.getLogger(ChunkAssembler.class);

    private final String topic;
    private final int partition;
    private final long maxBufferedBytes;
    /** Chunks below this offset whose first chunk was not seen belong to records already returned. */
    private final long orphansBefore;
    /** Whether chunks of a record begun before the start point may come first (a start inside the log). */
    private boolean skipLeadingOrphans;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // not yet returned, by first offset
    private final Map<String, Pending> groups = new HashMap<>(); // incomplete chunked records by chunk id
    private long bufferedBytes;

    ChunkAssembler(String topic, int partition, long maxBufferedBytes, long orphansBefore, boolean skipLeadingOrphans) {
        this.topic = topic;
        this.partition = partition;
        this.maxBufferedBytes = maxBufferedBytes;
        this.orphansBefore = orphansBefore;
        this.skipLeadingOrphans = skipLeadingOrphans;
    }

    /** Takes the next event and adds to {@code out} the records it completes. */
    void accept(ConsumerRecord<byte[], byte[]> event, List<Record> out) {
        if (queue.isEmpty() && !hasChunkHeader(event)) {
            // the common case: a whole record with nothing waiting before it goes straight out
            long offset = event.offset();
            out.add(new Record(
                    event.key(),
                    event.value(),
                    headers(event, false),
                    timestamp(event),
                    new SourceCoordinates(topic, partition, offset),
                    new KafkaPosition(offset, offset + 1)));
            skipLeadingOrphans = false;
            return;
        }
        Optional<ChunkHeader> chunk = ChunkHeader.parse(event.headers(), where(event.offset()));
        if (chunk.isEmpty()) {
            Pending whole = new Pending(event, null);
            whole.value = event.value();
            whole.complete = true;
            add(whole);
            skipLeadingOrphans = false;
        } else {
            acceptChunk(event, chunk.get());
        }
        drain(event.offset(), out);
    }

    /** Fails when a record is still incomplete at {@code end}, the end offset of a bounded read. */
    void finish(long end) {
        for (Pending pending : queue) {
            if (!pending.complete && pending.chunk != null) {
                ChunkHeader chunk = pending.chunk;
                throw new FerryException(
                        BAD_RECORD,
                        "the record in chunks " + chunk.id() + " at " + where(pending.firstOffset) + " has only "
                                + pending.nextIndex + " of its " + chunk.count() + " chunks (offsets "
                                + pending.firstOffset + " to " + pending.lastOffset + ") before the end offset "
                                + end + ": the other chunks are missing, or were still being written when this"
                                + " export started; export again once the import that writes the topic has"
                                + " finished");
            }
        }
    }

    private void acceptChunk(ConsumerRecord<byte[], byte[]> event, ChunkHeader chunk) {
        byte[] payload = event.value() == null ? new byte[0] : event.value();
        Pending group = groups.get(chunk.id());
        if (chunk.index() == 0) {
            if (group != null) {
                // The sink writes a record again from its first chunk after a crash; the earlier,
                // incomplete copy is superseded.
                log.info(
                        "{}: the record in chunks {} starts again at offset {}; its incomplete copy at offsets {}"
                                + " to {} is skipped (an import resumed after a crash)",
                        where(event.offset()),
                        chunk.id(),
                        event.offset(),
                        group.firstOffset,
                        group.lastOffset);
                queue.remove(group);
                bufferedBytes -= group.bytes();
            }
            if (chunk.size() > maxBufferedBytes) {
                throw new FerryException(
                        BAD_RECORD,
                        "the record in chunks " + chunk.id() + " at " + where(event.offset()) + " is "
                                + chunk.size() + " bytes, more than the reassembly limit of " + maxBufferedBytes
                                + " bytes; raise the limit (--kafka-max-record-size) or skip the record");
            }
            Pending started = new Pending(event, chunk);
            started.value = new byte[Math.toIntExact(chunk.size())];
            groups.put(chunk.id(), started);
            add(started);
            skipLeadingOrphans = false;
            append(started, chunk, payload, event.offset());
            return;
        }
        if (group == null) {
            if (event.offset() < orphansBefore) {
                return; // the rest of a record returned before the position this read resumed from
            }
            if (skipLeadingOrphans) {
                log.warn(
                        "{}: skipping chunk {} of {} of record {}: the record begins before the start offset"
                                + " of this read",
                        where(event.offset()),
                        chunk.index(),
                        chunk.count(),
                        chunk.id());
                return;
            }
            throw new FerryException(
                    BAD_RECORD,
                    "chunk " + chunk.index() + " of " + chunk.count() + " of the record in chunks " + chunk.id()
                            + " at " + where(event.offset()) + " has no first chunk before it: chunks 0 to "
                            + (chunk.index() - 1)
                            + " are missing (deleted by retention, or the topic was altered); the record cannot"
                            + " be restored");
        }
        ChunkHeader first = group.chunk;
        if (first == null
                || chunk.count() != first.count()
                || chunk.size() != first.size()
                || !chunk.sha256().equals(first.sha256())) {
            throw new FerryException(
                    BAD_RECORD,
                    "chunk " + chunk.index() + " at " + where(event.offset()) + " of the record in chunks "
                            + chunk.id() + " (first chunk at offset " + group.firstOffset
                            + ") disagrees with the first chunk on the count, size or checksum: the topic holds"
                            + " two different records under one chunk id");
        }
        if (chunk.index() != group.nextIndex) {
            throw new FerryException(
                    BAD_RECORD,
                    "chunk " + chunk.index() + " at " + where(event.offset()) + " of the record in chunks "
                            + chunk.id() + " follows chunk " + (group.nextIndex - 1) + " at offset "
                            + group.lastOffset + ": chunk " + group.nextIndex
                            + " is missing or out of order; the record cannot be restored");
        }
        group.lastOffset = event.offset();
        append(group, chunk, payload, event.offset());
    }

    private void append(Pending group, ChunkHeader chunk, byte[] payload, long offset) {
        byte[] value = group.value;
        if (value == null || group.filled + (long) payload.length > value.length) {
            throw new FerryException(
                    BAD_RECORD,
                    "chunk " + chunk.index() + " at " + where(offset) + " of the record in chunks " + chunk.id()
                            + " overflows the record's size of " + chunk.size()
                            + " bytes: the chunk is corrupt; the record cannot be restored");
        }
        System.arraycopy(payload, 0, value, group.filled, payload.length);
        group.filled += payload.length;
        group.nextIndex++;
        if (group.nextIndex < chunk.count()) {
            return;
        }
        groups.remove(chunk.id());
        if (group.filled != value.length || !sha256(value).equals(chunk.sha256())) {
            throw new FerryException(
                    BAD_RECORD,
                    "the record in chunks " + chunk.id() + " at " + where(group.firstOffset) + " to offset "
                            + offset + " does not match its checksum (" + FerryHeaders.CHUNK_SHA256
                            + "): a chunk is corrupt; the record cannot be restored");
        }
        group.complete = true;
    }

    private void add(Pending pending) {
        queue.add(pending);
        bufferedBytes += pending.bytes();
        if (queue.size() > 1 && bufferedBytes > maxBufferedBytes) {
            Pending head = queue.getFirst();
            throw new FerryException(
                    BAD_RECORD,
                    where(head.firstOffset) + ": " + bufferedBytes + " bytes of events wait behind the record"
                            + " in chunks " + (head.chunk == null ? "?" : head.chunk.id()) + ", whose chunks are"
                            + " interleaved with other events up to offset " + pending.firstOffset
                            + ", more than the reassembly limit of " + maxBufferedBytes
                            + " bytes; raise the limit (--kafka-max-record-size)");
        }
    }

    private void drain(long lastConsumed, List<Record> out) {
        while (!queue.isEmpty() && queue.getFirst().complete) {
            Pending done = queue.removeFirst();
            bufferedBytes -= done.bytes();
            long resumeFrom = queue.isEmpty() ? lastConsumed + 1 : queue.getFirst().firstOffset;
            out.add(done.toRecord(topic, partition, new KafkaPosition(lastConsumed, resumeFrom)));
        }
    }

    private static boolean hasChunkHeader(ConsumerRecord<byte[], byte[]> event) {
        for (org.apache.kafka.common.header.Header header : event.headers()) {
            if (ChunkHeader.isChunkHeader(header.key())) {
                return true;
            }
        }
        return false;
    }

    private static List<Header> headers(ConsumerRecord<byte[], byte[]> event, boolean dropChunkHeaders) {
        List<Header> kept = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : event.headers()) {
            if (!dropChunkHeaders || !ChunkHeader.isChunkHeader(header.key())) {
                kept.add(new Header(header.key(), header.value()));
            }
        }
        return kept;
    }

    private static long timestamp(ConsumerRecord<byte[], byte[]> event) {
        return event.timestamp() < 0 ? Record.NO_TIMESTAMP : event.timestamp();
    }

    private String where(long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A record not yet returned: whole, or the chunks of one so far. */
    private static final class Pending {
        final long firstOffset;
        final byte @Nullable [] key;
        final List<Header> headers;
        final long timestamp;
        final @Nullable ChunkHeader chunk;
        byte @Nullable [] value;
        int filled;
        int nextIndex;
        long lastOffset;
        boolean complete;

        Pending(ConsumerRecord<byte[], byte[]> event, @Nullable ChunkHeader chunk) {
            this.firstOffset = event.offset();
            this.lastOffset = event.offset();
            this.key = event.key();
            this.timestamp = timestamp(event);
            this.chunk = chunk;
            this.headers = headers(event, chunk != null);
        }

        long bytes() {
            return (key == null ? 0L : key.length) + (value == null ? 0L : value.length);
        }

        Record toRecord(String topic, int partition, KafkaPosition position) {
            return new Record(
                    key, value, headers, timestamp, new SourceCoordinates(topic, partition, firstOffset), position);
        }
    }
}
