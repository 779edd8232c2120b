package io.ferry.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import io.ferry.spi.source.Split;
import io.ferry.testing.TestPosition;
import io.ferry.testing.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {
    private static final Split SPLIT = new Split("orders.jsonl", "orders", 0);

    private final Path directory;

    JsonlSinkTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Test
    void namesFilesByStreamAndPartition() {
        JsonlSink sink = new JsonlSink(directory, false);
        assertEquals(Optional.of(directory.resolve("orders.jsonl")), sink.outputFile(SPLIT));
        assertEquals(
                Optional.of(directory.resolve("orders.3.jsonl")), sink.outputFile(new Split("orders-3", "orders", 3)));
        assertEquals(Optional.of(directory.resolve("a/b.jsonl")), sink.outputFile(new Split("a/b.jsonl", "a/b", 0)));
        FerryException escape =
                assertThrows(FerryException.class, () -> sink.outputFile(new Split("x", "../outside", 0)));
        assertEquals(StandardErrorCode.BAD_OPTION, escape.code());
    }

    @Test
    void treatsAPathWithAJsonlSuffixAsASingleFile() {
        Path file = directory.resolve("new/out.jsonl");
        JsonlSink sink = new JsonlSink(file, false);
        assertEquals(Optional.of(file), sink.outputFile(SPLIT));
        assertTrue(sink.id().startsWith("jsonl-file:"), sink.id());
        assertTrue(new JsonlSink(directory.resolve("newdir"), false).id().startsWith("jsonl-dir:"));
    }

    @Test
    void refusesACompressedTarget() {
        FerryException error =
                assertThrows(FerryException.class, () -> new JsonlSink(directory.resolve("out.jsonl.gz"), false));
        assertEquals(StandardErrorCode.BAD_OPTION, error.code());
    }

    @Test
    void refusesASecondSplitForASingleFileTarget() {
        JsonlSink sink = new JsonlSink(directory.resolve("out.jsonl"), false);
        try (SinkWriter first = sink.open(context(SPLIT, false), Optional.empty())) {
            first.flush(true);
        }
        FerryException error = assertThrows(
                FerryException.class,
                () -> sink.open(context(new Split("other.jsonl", "other", 0), false), Optional.empty()));
        assertEquals(StandardErrorCode.BAD_OPTION, error.code());
        assertTrue(TestFiles.message(error).contains("give a directory"), TestFiles.message(error));
    }

    @Test
    void refusesToReplaceAnExistingFileUnlessOverwritingOrResuming() throws IOException {
        Path file = Files.writeString(directory.resolve("orders.jsonl"), "old\n");
        FerryException error = assertThrows(
                FerryException.class,
                () -> new JsonlSink(directory, false).open(context(SPLIT, false), Optional.empty()));
        assertEquals(StandardErrorCode.TARGET_EXISTS, error.code());
        assertTrue(TestFiles.message(error).contains(file.toString()), TestFiles.message(error));
        assertTrue(TestFiles.message(error).contains("--overwrite"), TestFiles.message(error));
        assertEquals("old\n", Files.readString(file), "the refused file is left alone");

        write(new JsonlSink(directory, true), context(SPLIT, false), Optional.empty(), "new");
        assertEquals("new\n", Files.readString(file));

        write(new JsonlSink(directory, false), context(SPLIT, true), Optional.empty(), "resumed");
        assertEquals("resumed\n", Files.readString(file));
    }

    @Test
    void truncatesToTheReceiptsLengthWhenResuming() throws IOException {
        JsonlSink sink = new JsonlSink(directory, false);
        WriteReceipt receipt = write(sink, context(SPLIT, false), Optional.empty(), "one", "two");
        assertEquals("len=8", receipt.state());
        Path file = directory.resolve("orders.jsonl");
        Files.writeString(file, "half-writ", java.nio.file.StandardOpenOption.APPEND);
        write(sink, context(SPLIT, true), Optional.of(receipt.state()), "three");
        assertEquals("one\ntwo\nthree\n", Files.readString(file));
    }

    @Test
    void refusesAResumeStateItCannotUse() throws IOException {
        JsonlSink sink = new JsonlSink(directory, false);
        FerryException malformed =
                assertThrows(FerryException.class, () -> sink.open(context(SPLIT, true), Optional.of("offset=3")));
        assertEquals(StandardErrorCode.CANNOT_RESUME, malformed.code());
        assertTrue(TestFiles.message(malformed).contains("'offset=3'"), TestFiles.message(malformed));

        Files.writeString(directory.resolve("orders.jsonl"), "ab\n");
        FerryException shorter =
                assertThrows(FerryException.class, () -> sink.open(context(SPLIT, true), Optional.of("len=10")));
        assertEquals(StandardErrorCode.CANNOT_RESUME, shorter.code());
        assertTrue(TestFiles.message(shorter).contains("shorter than the 10 bytes"), TestFiles.message(shorter));
    }

    @Test
    void writesNullValuesAsEmptyLinesAndRefusesValuesWithLineFeeds() throws IOException {
        JsonlSink sink = new JsonlSink(directory, false);
        try (SinkWriter writer = sink.open(context(SPLIT, false), Optional.empty())) {
            writer.write(List.of(record(0, null), record(1, "x".getBytes(UTF_8))));
            FerryException error =
                    assertThrows(FerryException.class, () -> writer.write(List.of(record(2, "a\nb".getBytes(UTF_8)))));
            assertEquals(StandardErrorCode.BAD_RECORD, error.code());
            assertTrue(TestFiles.message(error).contains("orders/0@2"), TestFiles.message(error));
            writer.flush(true);
        }
        assertEquals("\nx\n", Files.readString(directory.resolve("orders.jsonl")));
    }

    @Test
    void unforcedFlushSyncsOnlyAfterEnoughBytes() {
        JsonlSink sink = new JsonlSink(directory, false);
        try (SinkWriter writer = sink.open(context(SPLIT, false), Optional.empty())) {
            writer.write(List.of(record(0, "small".getBytes(UTF_8))));
            WriteReceipt early = writer.flush(false);
            assertEquals(-1, early.lastOffset(), "a few bytes written just now are not synced yet");
            int big = (int) JsonlFileWriter.SYNC_BYTES + 1024;
            writer.write(List.of(record(1, TestRecords.longLine(big, 1))));
            WriteReceipt later = writer.flush(false);
            assertEquals(1, later.lastOffset(), "more than SYNC_BYTES waiting are synced");
            assertEquals("len=" + (6 + big + 1), later.state());
        }
    }

    @Test
    void writesStandardOutputWithoutClosingItAndCannotResume() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlSink sink = JsonlSink.stdout(out);
        assertEquals("stdout", sink.id());
        assertEquals(Optional.empty(), sink.outputFile(SPLIT));
        write(sink, context(SPLIT, false), Optional.empty(), "a", "b");
        write(sink, context(new Split("other", "other", 0), false), Optional.empty(), "c");
        assertEquals("a\nb\nc\n", out.toString(UTF_8));
        FerryException error =
                assertThrows(FerryException.class, () -> sink.open(context(SPLIT, true), Optional.of("stream")));
        assertEquals(StandardErrorCode.CANNOT_RESUME, error.code());
    }

    @Test
    void acceptsAnotherLineEncoder() throws IOException {
        LineEncoder quoted = (record, out) -> {
            out.write('"');
            out.write(record.value() == null ? new byte[0] : record.value());
            out.write("\"\n".getBytes(UTF_8));
        };
        write(new JsonlSink(directory, false, quoted), context(SPLIT, false), Optional.empty(), "a");
        assertEquals("\"a\"\n", Files.readString(directory.resolve("orders.jsonl")));
    }

    private static WriteReceipt write(JsonlSink sink, SinkContext context, Optional<String> state, String... lines) {
        try (SinkWriter writer = sink.open(context, state)) {
            long offset = 0;
            for (String line : lines) {
                writer.write(List.of(record(offset++, line.getBytes(UTF_8))));
            }
            return writer.flush(true);
        }
    }

    private static SinkContext context(Split split, boolean resuming) {
        return new SinkContext("test-job", split, resuming);
    }

    private static Record record(long offset, byte @org.jspecify.annotations.Nullable [] value) {
        return new Record(
                null,
                value,
                List.of(),
                Record.NO_TIMESTAMP,
                new SourceCoordinates(SPLIT.stream(), SPLIT.partition(), offset),
                new TestPosition(offset));
    }
}
