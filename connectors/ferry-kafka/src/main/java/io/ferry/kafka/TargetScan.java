package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.TARGET_EXISTS;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.ferry.spi.error.FerryException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * Reads the tail of one target partition backwards, window by growing window, for the last
 * complete record a split of this job wrote there; and checks that what it reads belongs to this
 * job (the first record of the partition and every record of the windows read).
 */
final class TargetScan {
    private static final int FIRST_WINDOW = 256;
    private static final Duration WINDOW_TIMEOUT = Duration.ofMinutes(2);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String bootstrapServers;
    private final String job;
    private final String originPrefix; // "stream/partition/" of the split being written
    private final boolean allowForeign;

    TargetScan(
            KafkaConsumer<byte[], byte[]> consumer,
            String bootstrapServers,
            String job,
            String stream,
            int partition,
            boolean allowForeign) {
        this.consumer = consumer;
        this.bootstrapServers = bootstrapServers;
        this.job = job;
        this.originPrefix = stream + "/" + partition + "/";
        this.allowForeign = allowForeign;
    }

    /**
     * The origin offset of the last complete record of the split in {@code partition}, looking no
     * further back than {@code floor} (a target offset this split is known to have written; -1:
     * the whole partition); -1 when there is none.
     */
    long lastOrigin(TopicPartition partition, long floor) {
        consumer.assign(List.of(partition));
        long begin = KafkaSource.at(consumer.beginningOffsets(List.of(partition), KafkaSource.TIMEOUT), partition);
        long end = KafkaSource.at(consumer.endOffsets(List.of(partition), KafkaSource.TIMEOUT), partition);
        if (end <= begin) {
            return -1;
        }
        if (!allowForeign) {
            scan(partition, begin, begin + 1);
        }
        long low = Math.max(begin, floor);
        long high = end;
        long window = FIRST_WINDOW;
        while (true) {
            long from = Math.max(low, high - window);
            long found = scan(partition, from, high);
            if (found >= 0 || from <= low) {
                return found;
            }
            high = from;
            window *= 4;
        }
    }

    /** Reads offsets {@code from} to {@code to} (exclusive), returning the last origin offset found. */
    private long scan(TopicPartition partition, long from, long to) {
        consumer.seek(partition, from);
        long found = -1;
        long deadline = System.nanoTime() + WINDOW_TIMEOUT.toNanos();
        while (consumer.position(partition, KafkaSource.TIMEOUT) < to) {
            for (ConsumerRecord<byte[], byte[]> event :
                    consumer.poll(Duration.ofMillis(200)).records(partition)) {
                if (event.offset() >= to) {
                    break;
                }
                String eventJob = text(event.headers().lastHeader(FerryHeaders.JOB));
                if (!job.equals(eventJob)) {
                    if (!allowForeign) {
                        throw foreign(partition, event.offset(), eventJob);
                    }
                    continue;
                }
                Optional<Long> origin = originOffset(event);
                if (origin.isPresent() && isLastChunk(event, partition)) {
                    found = Math.max(found, origin.get());
                }
            }
            if (System.nanoTime() > deadline) {
                throw ClientConfigs.failure(
                        bootstrapServers,
                        "reading offsets " + from + " to " + to + " of the target " + partition + " to find where"
                                + " this import stopped (no progress in " + WINDOW_TIMEOUT + ")",
                        new org.apache.kafka.common.errors.TimeoutException("timed out"));
            }
        }
        return found;
    }

    private Optional<Long> originOffset(ConsumerRecord<byte[], byte[]> event) {
        String origin = text(event.headers().lastHeader(FerryHeaders.ORIGIN));
        if (origin == null || !origin.startsWith(originPrefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(origin.substring(originPrefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isLastChunk(ConsumerRecord<byte[], byte[]> event, TopicPartition partition) {
        Optional<ChunkHeader> chunk = ChunkHeader.parse(event.headers(), partition + "@" + event.offset());
        return chunk.isEmpty() || chunk.get().index() == chunk.get().count() - 1;
    }

    private FerryException foreign(TopicPartition partition, long offset, @Nullable String otherJob) {
        String whose = otherJob == null
                ? "a record not written by a ferry import"
                : "a record of another ferry import ('" + otherJob + "')";
        return new FerryException(
                TARGET_EXISTS,
                "the target topic partition " + partition + " holds " + whose + " at offset " + offset
                        + "; ferry imports only into an empty partition or one holding only records of this job ('"
                        + job + "'), so that a resumed import can tell where it stopped. Import into a new topic,"
                        + " or pass --allow-nonempty-target to write after what is there");
    }

    private static @Nullable String text(@Nullable Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }
}
