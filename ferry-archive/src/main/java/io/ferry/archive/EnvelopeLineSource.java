package io.ferry.archive;

import static io.ferry.spi.error.StandardErrorCode.BAD_RECORD;
import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ferry.archive.format.EnvelopeReader;
import io.ferry.archive.format.Utf8;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a source of lines whose values are archive envelopes (what {@code ferry import --format
 * envelope} writes) and gives each record the key, value, headers and timestamp its envelope holds.
 * Where the record came from stays the line's own file and line number, so positions, resume and
 * object names work as for any line source. A line that is not an envelope is handled by the {@link
 * BadRecordPolicy}.
 *
 * @param <P> the line source's position type
 */
public final class EnvelopeLineSource<P extends Position> implements Source<P> {
    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    private final Source<P> lines;
    private final BadRecordPolicy policy;
    private final AtomicLong rejected = new AtomicLong();

    public EnvelopeLineSource(Source<P> lines, BadRecordPolicy policy) {
        this.lines = requireNonNull(lines, "lines is null");
        this.policy = requireNonNull(policy, "policy is null");
    }

    /** Lines refused so far (skipped or set aside). */
    public long rejected() {
        return rejected.get();
    }

    @Override
    public String describe() {
        return lines.describe() + " (envelopes)";
    }

    @Override
    public List<Split> plan() {
        return lines.plan();
    }

    @Override
    public Optional<SplitSize> size(Split split) {
        return lines.size(split);
    }

    @Override
    public P decodePosition(Split split, String encoded) {
        return lines.decodePosition(split, encoded);
    }

    @Override
    public void close() {
        lines.close();
    }

    @Override
    public SourceReader<P> open(Split split, Optional<P> resumeAfter) {
        SourceReader<P> reader = lines.open(split, resumeAfter);
        return new SourceReader<>() {
            @Override
            public ReadBatch read(Duration maxWait) {
                ReadBatch batch = reader.read(maxWait);
                List<Record> decoded = new ArrayList<>(batch.records().size());
                for (Record line : batch.records()) {
                    decode(split, line).ifPresent(decoded::add);
                }
                return new ReadBatch(decoded, batch.end());
            }

            @Override
            public void acknowledge(P upTo) {
                reader.acknowledge(upTo);
            }

            @Override
            public long progress() {
                return reader.progress();
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }

    private Optional<Record> decode(Split split, Record line) {
        byte[] value = line.value() == null ? new byte[0] : line.value();
        try {
            Record envelope = EnvelopeReader.decodeLine(value);
            return Optional.of(new Record(
                    envelope.key(),
                    envelope.value(),
                    envelope.headers(),
                    envelope.timestamp(),
                    line.from(),
                    line.position()));
        } catch (FerryException e) {
            if (e.code() != BAD_RECORD) {
                throw e;
            }
            String where = split.id() + " line " + (line.offset() + 1);
            switch (policy) {
                case BadRecordPolicy.Fail fail ->
                    throw new FerryException(
                            BAD_RECORD,
                            where + " is " + e.getMessage() + "; fix the line, or pass --on-bad-record skip or"
                                    + " --on-bad-record dead-letter=FILE to set such lines aside",
                            e);
                case BadRecordPolicy.Skip skip -> rejected.incrementAndGet();
                case BadRecordPolicy.DeadLetter deadLetter -> {
                    setAside(deadLetter, split, line, value, String.valueOf(e.getMessage()));
                    rejected.incrementAndGet();
                }
            }
            return Optional.empty();
        }
    }

    private synchronized void setAside(
            BadRecordPolicy.DeadLetter deadLetter, Split split, Record line, byte[] value, String problem) {
        try (OutputStream out =
                        Files.newOutputStream(deadLetter.file(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("split", split.id());
            json.writeNumberField("line", line.offset() + 1);
            json.writeStringField("error", problem);
            if (Utf8.isValid(value)) {
                json.writeStringField("text", new String(value, StandardCharsets.UTF_8));
            } else {
                json.writeStringField("base64", Base64.getEncoder().encodeToString(value));
            }
            json.writeEndObject();
            json.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new FerryException(
                    IO_ERROR, "Cannot write the dead-letter file " + deadLetter.file() + ": " + e.getMessage(), e);
        }
    }
}
