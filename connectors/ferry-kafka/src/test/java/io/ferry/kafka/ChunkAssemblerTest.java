package io.ferry.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ChunkAssemblerTest {
    private static final String TOPIC = "chunks";
    private static final long MAX = 16L << 20;

    private final byte[] big = randomBytes(10_000, 1);
    private final List<ConsumerRecord<byte[], byte[]>> chunks = chunkEvents("id-1", big, 4, 10, 1_000L);

    @Test
    void putsConsecutiveChunksBackTogetherWithTheFirstChunksOffsetAndTheLastChunksPosition() {
        List<Record> out = feed(new ChunkAssembler(TOPIC, 0, MAX, 0, false), chunks);
        assertEquals(1, out.size());
        Record record = out.getFirst();
        assertArrayEquals(big, record.value());
        assertArrayEquals("key".getBytes(UTF_8), record.key());
        assertEquals(10, record.offset());
        assertEquals(1_000L, record.timestamp());
        assertEquals(new KafkaPosition(13), record.position());
        assertEquals(List.of(Header.of("user", "kept")), record.headers());
    }

    @Test
    void keepsWholeRecordsAroundChunkedOnesInOrder() {
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
        events.add(plain(9, "before"));
        events.addAll(chunks);
        events.add(plain(14, "after"));
        List<Record> out = feed(new ChunkAssembler(TOPIC, 0, MAX, 0, false), events);
        assertEquals(List.of(9L, 10L, 14L), out.stream().map(Record::offset).toList());
        assertEquals(new KafkaPosition(9), out.get(0).position());
        assertEquals(new KafkaPosition(13), out.get(1).position());
        assertEquals(new KafkaPosition(14), out.get(2).position());
    }

    @Test
    void recordsBetweenInterleavedChunksWaitAndTheirPositionsReadAgainFromTheIncompleteRecord() {
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> spaced = chunkEvents("id-2", big, 2, 20, 5L);
        events.add(spaced.get(0)); // 20
        events.add(plain(21, "between"));
        events.add(moved(spaced.get(1), 22));
        List<Record> out = feed(new ChunkAssembler(TOPIC, 0, MAX, 0, false), events);
        assertEquals(List.of(20L, 21L), out.stream().map(Record::offset).toList());
        assertArrayEquals(big, out.get(0).value());
        assertEquals(new KafkaPosition(22, 21), out.get(0).position());
        assertEquals(new KafkaPosition(22), out.get(1).position());
    }

    @Test
    void resumingSkipsTheRestOfARecordAlreadyReturned() {
        // Resuming after the record at 9 at offset 10 re-reads the chunks of the record at 10; resuming
        // from inside it (a position with resumeFrom 11) must skip its later chunks below offset 14.
        List<Record> out = feed(new ChunkAssembler(TOPIC, 0, MAX, 14, false), chunks.subList(1, 4));
        assertEquals(List.of(), out);
    }

    @Test
    void aMissingChunkIsAnErrorNamingTheOffsets() {
        List<ConsumerRecord<byte[], byte[]>> gap = List.of(chunks.get(0), chunks.get(2));
        FerryException error =
                assertThrows(FerryException.class, () -> feed(new ChunkAssembler(TOPIC, 0, MAX, 0, false), gap));
        assertEquals(StandardErrorCode.BAD_RECORD, error.code());
        assertTrue(error.getMessage().contains("chunks/0@12"), error.getMessage());
        assertTrue(error.getMessage().contains("chunk 1 is missing"), error.getMessage());
    }

    @Test
    void aChunkWithoutItsFirstChunkIsAnErrorWhenReadingFromTheStart() {
        FerryException error = assertThrows(
                FerryException.class, () -> feed(new ChunkAssembler(TOPIC, 0, MAX, 0, false), chunks.subList(1, 4)));
        assertEquals(StandardErrorCode.BAD_RECORD, error.code());
        assertTrue(error.getMessage().contains("no first chunk"), error.getMessage());
    }

    @Test
    void aCorruptChunkFailsTheChecksum() {
        List<ConsumerRecord<byte[], byte[]>> corrupt = new ArrayList<>(chunks);
        byte[] bad = corrupt.get(2).value().clone();
        bad[0] ^= 1;
        corrupt.set(2, withValue(corrupt.get(2), bad));
        FerryException error =
                assertThrows(FerryException.class, () -> feed(new ChunkAssembler(TOPIC, 0, MAX, 0, false), corrupt));
        assertTrue(error.getMessage().contains("checksum"), error.getMessage());
    }

    @Test
    void anIncompleteRecordAtTheEndIsAnError() {
        ChunkAssembler assembler = new ChunkAssembler(TOPIC, 0, MAX, 0, false);
        feed(assembler, chunks.subList(0, 3));
        FerryException error = assertThrows(FerryException.class, () -> assembler.finish(13));
        assertTrue(error.getMessage().contains("has only 3 of its 4 chunks"), error.getMessage());
    }

    @Test
    void aRecordWrittenAgainAfterACrashReplacesItsIncompleteCopy() {
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>(chunks.subList(0, 2)); // 10, 11
        for (ConsumerRecord<byte[], byte[]> chunk : chunks) {
            events.add(moved(chunk, chunk.offset() + 2)); // 12 to 15
        }
        List<Record> out = feed(new ChunkAssembler(TOPIC, 0, MAX, 0, false), events);
        assertEquals(1, out.size());
        assertEquals(12, out.getFirst().offset());
        assertArrayEquals(big, out.getFirst().value());
    }

    @Test
    void refusesARecordLargerThanTheLimit() {
        FerryException error =
                assertThrows(FerryException.class, () -> feed(new ChunkAssembler(TOPIC, 0, 5_000, 0, false), chunks));
        assertTrue(error.getMessage().contains("reassembly limit"), error.getMessage());
    }

    private static List<Record> feed(ChunkAssembler assembler, List<ConsumerRecord<byte[], byte[]>> events) {
        List<Record> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> event : events) {
            assembler.accept(event, out);
        }
        return out;
    }

    static List<ConsumerRecord<byte[], byte[]>> chunkEvents(
            String id, byte[] value, int count, long firstOffset, long timestamp) {
        String sha = sha256(value);
        int size = (value.length + count - 1) / count;
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordHeaders headers = new RecordHeaders();
            if (i == 0) {
                headers.add("user", "kept".getBytes(UTF_8));
            }
            new ChunkHeader(id, i, count, value.length, sha).toKafkaHeaders().forEach(headers::add);
            byte[] piece = Arrays.copyOfRange(value, i * size, Math.min(value.length, (i + 1) * size));
            events.add(event(firstOffset + i, "key".getBytes(UTF_8), piece, headers, timestamp));
        }
        return events;
    }

    private static ConsumerRecord<byte[], byte[]> plain(long offset, String value) {
        return event(offset, null, value.getBytes(UTF_8), new RecordHeaders(), 7L);
    }

    private static ConsumerRecord<byte[], byte[]> moved(ConsumerRecord<byte[], byte[]> event, long offset) {
        return event(
                offset,
                event.key(),
                event.value(),
                new RecordHeaders(event.headers().toArray()),
                event.timestamp());
    }

    private static ConsumerRecord<byte[], byte[]> withValue(ConsumerRecord<byte[], byte[]> event, byte[] value) {
        return event(
                event.offset(),
                event.key(),
                value,
                new RecordHeaders(event.headers().toArray()),
                event.timestamp());
    }

    private static ConsumerRecord<byte[], byte[]> event(
            long offset, byte[] key, byte[] value, RecordHeaders headers, long timestamp) {
        return new ConsumerRecord<>(
                TOPIC,
                0,
                offset,
                timestamp,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value.length,
                key,
                value,
                headers,
                Optional.empty());
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
