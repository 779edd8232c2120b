package io.ferry.benchmarks;

import io.ferry.archive.format.Compression;
import io.ferry.archive.format.EnvelopeDecoding;
import io.ferry.archive.format.EnvelopeReader;
import io.ferry.archive.format.EnvelopeWriter;
import io.ferry.files.LinePosition;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding envelopes ({@link EnvelopeReader}) from memory, without compression, as {@code ferry
 * import} does after decompressing: {@link #BATCH} envelopes of 1 KiB values that are UTF-8 JSON
 * (JSON strings with about 20 escaped quotes each) or random binary (base64), each decoded by the
 * fast decoder and by Jackson alone (the decoding before it). Scores are records per second; times
 * {@link EventLines#LINE_BYTES} gives value bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EnvelopeDecodingBenchmark.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EnvelopeDecodingBenchmark {
    /** Envelopes per benchmark invocation. */
    static final int BATCH = 1024;

    private static final String STREAM = "events";
    private static final EnvelopeReader.Positions POSITIONS =
            (from, recordsRead) -> new LinePosition(recordsRead, recordsRead);

    private byte[] utf8Envelopes = new byte[0];
    private byte[] binaryEnvelopes = new byte[0];

    @Setup
    public void setUp() throws IOException {
        EventLines lines = new EventLines(42);
        SplittableRandom random = new SplittableRandom(42);
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream(2 * BATCH * EventLines.LINE_BYTES);
        ByteArrayOutputStream binary = new ByteArrayOutputStream(2 * BATCH * EventLines.LINE_BYTES);
        try (EnvelopeWriter utf8Writer = new EnvelopeWriter(utf8);
                EnvelopeWriter binaryWriter = new EnvelopeWriter(binary)) {
            for (int i = 0; i < BATCH; i++) {
                byte[] line = lines.next();
                utf8Writer.write(record(Arrays.copyOf(line, line.length - 1), i)); // the line without its \n
                byte[] bytes = new byte[EventLines.LINE_BYTES];
                random.nextBytes(bytes);
                bytes[0] = (byte) 0xff; // never valid UTF-8, whatever the random bytes
                binaryWriter.write(record(bytes, i));
            }
        }
        utf8Envelopes = utf8.toByteArray();
        binaryEnvelopes = binary.toByteArray();
    }

    /** Decodes {@link #BATCH} envelopes of UTF-8 JSON values; returns the value bytes read. */
    @Benchmark
    public long decodeUtf8JsonValues() {
        return decode(utf8Envelopes, EnvelopeDecoding.FAST);
    }

    /** As {@link #decodeUtf8JsonValues()}, with Jackson alone. */
    @Benchmark
    public long decodeUtf8JsonValuesWithJackson() {
        return decode(utf8Envelopes, EnvelopeDecoding.JACKSON);
    }

    /** Decodes {@link #BATCH} envelopes of base64 binary values; returns the value bytes read. */
    @Benchmark
    public long decodeBinaryValues() {
        return decode(binaryEnvelopes, EnvelopeDecoding.FAST);
    }

    /** As {@link #decodeBinaryValues()}, with Jackson alone. */
    @Benchmark
    public long decodeBinaryValuesWithJackson() {
        return decode(binaryEnvelopes, EnvelopeDecoding.JACKSON);
    }

    byte[] utf8Envelopes() {
        return utf8Envelopes;
    }

    byte[] binaryEnvelopes() {
        return binaryEnvelopes;
    }

    static long decode(byte[] envelopes, EnvelopeDecoding decoding) {
        long bytes = 0;
        try (EnvelopeReader reader =
                new EnvelopeReader(new ByteArrayInputStream(envelopes), Compression.NONE, "bench", decoding)) {
            for (Optional<Record> next = reader.next(POSITIONS); next.isPresent(); next = reader.next(POSITIONS)) {
                byte[] value = next.get().value();
                bytes += value == null ? 0 : value.length;
            }
        }
        return bytes;
    }

    private static Record record(byte[] value, long offset) {
        return Record.ofValue(
                value,
                new SourceCoordinates(STREAM, 0, offset),
                new LinePosition((offset + 1) * EventLines.LINE_BYTES, offset + 1));
    }
}
