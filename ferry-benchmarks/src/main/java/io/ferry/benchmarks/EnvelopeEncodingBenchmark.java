package io.ferry.benchmarks;

import io.ferry.archive.format.EnvelopeWriter;
import io.ferry.archive.format.JacksonEnvelopeWriter;
import io.ferry.files.LinePosition;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * Encoding records as envelopes ({@link EnvelopeWriter}) into memory, without compression: 1 KiB
 * values that are valid UTF-8 JSON (written as JSON strings, escaping every quote) and 1 KiB random
 * binary values (not UTF-8, written as base64). Scores are records per second; times {@link
 * EventLines#LINE_BYTES} gives value bytes per second. The {@code ...WithJackson} methods run the
 * Jackson-based writer that {@link EnvelopeWriter} replaced, which writes the same bytes, for
 * comparison in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EnvelopeEncodingBenchmark.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EnvelopeEncodingBenchmark {
    /** Records per benchmark invocation. */
    static final int BATCH = 1024;

    private static final String STREAM = "events";

    private final List<Record> utf8Records = new ArrayList<>(BATCH);
    private final List<Record> binaryRecords = new ArrayList<>(BATCH);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4 * BATCH * EventLines.LINE_BYTES);

    @Setup
    public void setUp() {
        utf8Records.clear();
        binaryRecords.clear();
        EventLines lines = new EventLines(42);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < BATCH; i++) {
            byte[] line = lines.next();
            byte[] json = Arrays.copyOf(line, line.length - 1); // the value is the line without its \n
            utf8Records.add(record(json, i));
            byte[] binary = new byte[EventLines.LINE_BYTES];
            random.nextBytes(binary);
            binary[0] = (byte) 0xff; // never valid UTF-8, whatever the random bytes
            binaryRecords.add(record(binary, i));
        }
    }

    /** Encodes {@link #BATCH} UTF-8 JSON values; returns the envelope bytes written. */
    @Benchmark
    public int encodeUtf8JsonValues() throws IOException {
        return encode(utf8Records);
    }

    /** Encodes {@link #BATCH} binary values, which become base64; returns the envelope bytes written. */
    @Benchmark
    public int encodeBinaryValues() throws IOException {
        return encode(binaryRecords);
    }

    /** {@link #encodeUtf8JsonValues()} with the Jackson-based writer it replaced. */
    @Benchmark
    public int encodeUtf8JsonValuesWithJackson() throws IOException {
        return encodeWithJackson(utf8Records);
    }

    /** {@link #encodeBinaryValues()} with the Jackson-based writer it replaced. */
    @Benchmark
    public int encodeBinaryValuesWithJackson() throws IOException {
        return encodeWithJackson(binaryRecords);
    }

    /** The envelopes the last invocation wrote. */
    byte[] output() {
        return out.toByteArray();
    }

    List<Record> utf8Records() {
        return utf8Records;
    }

    List<Record> binaryRecords() {
        return binaryRecords;
    }

    private int encode(List<Record> records) throws IOException {
        out.reset();
        try (EnvelopeWriter writer = new EnvelopeWriter(out)) {
            for (Record record : records) {
                writer.write(record);
            }
            writer.finish();
        }
        return out.size();
    }

    private int encodeWithJackson(List<Record> records) throws IOException {
        out.reset();
        try (JacksonEnvelopeWriter writer = new JacksonEnvelopeWriter(out)) {
            for (Record record : records) {
                writer.write(record);
            }
            writer.finish();
        }
        return out.size();
    }

    private static Record record(byte[] value, long offset) {
        return Record.ofValue(
                value,
                new SourceCoordinates(STREAM, 0, offset),
                new LinePosition((offset + 1) * EventLines.LINE_BYTES, offset + 1));
    }
}
