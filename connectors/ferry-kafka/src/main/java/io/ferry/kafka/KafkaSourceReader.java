package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/** Reads one topic partition with {@code assign} and {@code seek}, never as a member of a group. */
final class KafkaSourceReader implements SourceReader<KafkaPosition> {
    private final KafkaSourceSettings settings;
    private final TopicPartition partition;
    private final String where;
    private final long start;
    private final long end; // exclusive; Long.MAX_VALUE when following
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ChunkAssembler assembler;
    private @Nullable KafkaConsumer<byte[], byte[]> committer;
    private long committed = -1;
    private long consumed; // the consumer's position: the next offset it reads
    private boolean ended;

    KafkaSourceReader(
            KafkaSourceSettings settings, Split split, KafkaSource.Range range, Optional<KafkaPosition> resumeAfter) {
        this.settings = settings;
        this.partition = new TopicPartition(split.stream(), split.partition());
        this.where = split.stream() + "/" + split.partition();
        this.start = range.start();
        this.end = range.end();
        long from = resumeAfter.map(KafkaPosition::resumeFrom).orElse(start);
        this.consumer = new KafkaConsumer<>(
                ClientConfigs.consumer(settings.bootstrapServers(), settings.clientProperties(), "export"));
        try {
            consumer.assign(List.of(partition));
            if (resumeAfter.isPresent()) {
                long first =
                        KafkaSource.at(consumer.beginningOffsets(List.of(partition), KafkaSource.TIMEOUT), partition);
                if (from < first) {
                    throw new FerryException(
                            CANNOT_RESUME,
                            "cannot resume " + where + " at offset " + from + ": the log now starts at offset "
                                    + first + " (retention deleted offsets " + from + " to " + (first - 1)
                                    + "); start a new job, with --from-offset " + first
                                    + " to accept the gap");
                }
            }
            consumer.seek(partition, from);
        } catch (KafkaException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw ClientConfigs.failure(settings.bootstrapServers(), "opening " + where + " at offset " + from, e);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw e;
        }
        this.consumed = from;
        this.assembler = new ChunkAssembler(
                split.stream(),
                split.partition(),
                settings.maxRecordBytes(),
                resumeAfter.map(position -> position.offset() + 1).orElse(from),
                resumeAfter.isEmpty() && from > 0);
    }

    @Override
    public ReadBatch read(Duration maxWait) {
        if (ended) {
            throw new IllegalStateException("read after the end of " + where);
        }
        if (consumed >= end) {
            return finish(List.of());
        }
        List<Record> out = new ArrayList<>();
        try {
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(maxWait);
            for (ConsumerRecord<byte[], byte[]> event : polled.records(partition)) {
                if (event.offset() >= end) {
                    break;
                }
                assembler.accept(event, out);
            }
            consumed = consumer.position(partition, KafkaSource.TIMEOUT);
        } catch (OffsetOutOfRangeException e) {
            throw new FerryException(
                    CANNOT_RESUME,
                    "offset " + consumed + " of " + where + " is no longer in the log (retention deleted it while"
                            + " it was read, or the topic was recreated); start a new job",
                    e);
        } catch (KafkaException e) {
            throw ClientConfigs.failure(settings.bootstrapServers(), "reading " + where + " at offset " + consumed, e);
        }
        if (settings.follow() && settings.untilTime().isPresent()) {
            Instant until = settings.untilTime().get();
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).timestamp() >= until.toEpochMilli()) {
                    return finish(out.subList(0, i));
                }
            }
        }
        if (consumed >= end) {
            return finish(out);
        }
        return new ReadBatch(out, false);
    }

    private ReadBatch finish(List<Record> out) {
        if (end != Long.MAX_VALUE) {
            assembler.finish(end);
        }
        ended = true;
        consumed = Math.max(consumed, end == Long.MAX_VALUE ? consumed : end);
        return new ReadBatch(out, true);
    }

    @Override
    public void acknowledge(KafkaPosition upTo) {
        if (settings.commitGroup().isEmpty() || upTo.resumeFrom() <= committed) {
            return;
        }
        String group = settings.commitGroup().get();
        try {
            KafkaConsumer<byte[], byte[]> commits = committer;
            if (commits == null) {
                commits = new KafkaConsumer<>(
                        ClientConfigs.committer(settings.bootstrapServers(), settings.clientProperties(), group));
                committer = commits;
            }
            commits.commitSync(Map.of(partition, new OffsetAndMetadata(upTo.resumeFrom())), KafkaSource.TIMEOUT);
            committed = upTo.resumeFrom();
        } catch (KafkaException e) {
            throw ClientConfigs.failure(
                    settings.bootstrapServers(),
                    "committing offset " + upTo.resumeFrom() + " of " + where + " for --commit-group " + group
                            + " (a group with active members refuses commits from outside)",
                    e);
        }
    }

    @Override
    public long progress() {
        long done = consumed - start;
        return end == Long.MAX_VALUE ? Math.max(0, done) : Math.max(0, Math.min(done, end - start));
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        KafkaConsumer<byte[], byte[]> commits = committer;
        if (commits != null) {
            commits.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
