package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static io.ferry.spi.error.StandardErrorCode.BAD_RECORD;
import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;
import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import io.ferry.spi.source.Split;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one split's records to the target topic through the sink's shared producer, tracking each
 * record's acknowledgements so a receipt never passes a record (or a chunk of it) not yet stored.
 *
 * <p>Receipt state: per target partition, the target offset and origin offset of the last durable
 * record, as {@code p<partition>=<targetOffset>@<originOffset>} joined by {@code ;}. On open it
 * bounds the backward scan of the target: what the split wrote after the checkpoint lies above it.
 */
final class KafkaSinkWriter implements SinkWriter {
    private static final Logger log = LoggerFactory.getLogger(KafkaSinkWriter.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final int CHUNK_HEADER_BYTES = 256;

    private final KafkaSinkSettings settings;
    private final KafkaSink.Target target;
    private final SinkContext context;
    private final String topic;
    private final long[] alreadyWritten; // by target partition: the last origin offset there, or -1
    private final Map<Integer, long[]> durable = new TreeMap<>(); // target partition -> {target, origin offset}
    private final ArrayDeque<Entry> entries = new ArrayDeque<>(); // written, not yet passed by a receipt
    private final AtomicReference<@Nullable FerryException> failure = new AtomicReference<>();
    private final byte[] jobBytes;
    private final Object outstandingLock = new Object();
    private final AtomicInteger outstanding = new AtomicInteger(); // events sent whose callback has not run
    private @Nullable String originStream; // the stream originPrefix was made for
    private int originPartition = -1;
    private byte[] originPrefix = new byte[0]; // "stream/partition/" in UTF-8
    private long lastOffset = -1;
    private @Nullable Position lastPosition;
    private boolean closed;

    /**
     * One record written: how many of its events are still unacknowledged. It is the callback of
     * each of its events, so sending allocates nothing more per record.
     */
    private final class Entry implements Callback {
        private static final AtomicIntegerFieldUpdater<Entry> REMAINING =
                AtomicIntegerFieldUpdater.newUpdater(Entry.class, "remaining");

        final SourceCoordinates from;
        final Position position;
        final int partition;
        final boolean sent;
        volatile int remaining;
        volatile long targetOffset = -1;

        Entry(Record record, int partition, int events) {
            this.from = record.from();
            this.position = record.position();
            this.partition = partition;
            this.remaining = events;
            this.sent = events > 0;
        }

        long offset() {
            return from.offset();
        }

        @Override
        public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
            if (exception != null) {
                failure.compareAndSet(null, sendFailure(from, partition, exception));
            } else if (metadata != null) {
                targetOffset = Math.max(targetOffset, metadata.offset());
                REMAINING.decrementAndGet(this);
            }
            if (outstanding.decrementAndGet() == 0) {
                synchronized (outstandingLock) {
                    outstandingLock.notifyAll();
                }
            }
        }
    }

    KafkaSinkWriter(
            KafkaSinkSettings settings,
            KafkaSink.Target target,
            SinkContext context,
            Optional<String> state,
            KafkaSink sink) {
        this.settings = settings;
        this.target = target;
        this.context = context;
        this.topic = settings.topic();
        this.jobBytes = context.jobName().getBytes(UTF_8);
        Map<Integer, long[]> saved = parseState(state.orElse(""));
        durable.putAll(saved);
        this.alreadyWritten = new long[target.partitions()];
        Arrays.fill(alreadyWritten, -1);
        Split split = context.split();
        KafkaConsumer<byte[], byte[]> consumer = null;
        boolean scanned = false;
        try {
            consumer = sink.borrowScanConsumer();
            TargetScan scan = new TargetScan(
                    consumer,
                    settings.bootstrapServers(),
                    context.jobName(),
                    split.stream(),
                    split.partition(),
                    settings.allowNonEmptyTarget());
            for (int partition : targetPartitions()) {
                long[] checkpoint = saved.get(partition);
                long found =
                        scan.lastOrigin(new TopicPartition(topic, partition), checkpoint == null ? -1 : checkpoint[0]);
                long last = Math.max(found, checkpoint == null ? -1 : checkpoint[1]);
                if (last >= 0) {
                    alreadyWritten[partition] = last;
                    log.info(
                            "{}: {}/{} already holds split {} up to origin offset {}; continuing after it",
                            context.jobName(),
                            topic,
                            partition,
                            split.id(),
                            last);
                }
            }
            scanned = true;
        } catch (KafkaException e) {
            throw ClientConfigs.failure(
                    settings.bootstrapServers(), "reading the tail of target topic '" + topic + "'", e);
        } finally {
            if (consumer != null) {
                if (scanned) {
                    sink.returnScanConsumer(consumer);
                } else {
                    consumer.close(); // after a failure: not lent again
                }
            }
        }
    }

    @Override
    public void write(List<Record> records) {
        if (closed) {
            throw new IllegalStateException("write after close of the writer of " + where());
        }
        throwIfFailed();
        for (Record record : records) {
            int partition = partitionOf(record);
            if (record.offset() <= alreadyWritten[partition]) {
                entries.add(new Entry(record, partition, 0)); // in the target from an earlier run
                continue;
            }
            List<ProducerRecord<byte[], byte[]>> events = events(record, partition);
            Entry entry = new Entry(record, partition, events.size());
            entries.add(entry);
            for (ProducerRecord<byte[], byte[]> event : events) {
                outstanding.incrementAndGet();
                try {
                    // the entry is the callback: it keeps the outcome, which flush reports
                    Future<RecordMetadata> unused = target.producer().send(event, entry);
                } catch (KafkaException e) {
                    if (outstanding.decrementAndGet() == 0) {
                        synchronized (outstandingLock) {
                            outstandingLock.notifyAll();
                        }
                    }
                    throw sendFailure(record.from(), partition, e);
                }
            }
        }
    }

    @Override
    public WriteReceipt flush(boolean force) {
        throwIfFailed();
        if (force) {
            try {
                target.producer().flush();
            } catch (KafkaException e) {
                throw ClientConfigs.failure(settings.bootstrapServers(), "flushing to topic '" + topic + "'", e);
            }
            awaitOutstanding(Duration.ofMinutes(10));
            throwIfFailed();
        }
        while (!entries.isEmpty() && entries.getFirst().remaining == 0) {
            Entry done = entries.removeFirst();
            lastOffset = done.offset();
            lastPosition = done.position;
            if (done.sent) {
                long[] last = durable.get(done.partition);
                if (last == null) {
                    durable.put(done.partition, new long[] {done.targetOffset, done.offset()});
                } else {
                    last[0] = done.targetOffset;
                    last[1] = done.offset();
                }
            }
        }
        if (force && !entries.isEmpty()) {
            throw new FerryException(
                    IO_ERROR,
                    "the producer flushed, yet record " + entries.getFirst().offset() + " of " + where()
                            + " is not acknowledged by Kafka at " + settings.bootstrapServers()
                            + "; resume the job to retry");
        }
        Position position = lastPosition;
        return position == null
                ? WriteReceipt.nothingDurable(state())
                : WriteReceipt.durableThrough(lastOffset, position, state());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Sends in flight still land; wait for them, so a writer opened next for this split scans a
        // target that no longer changes under it.
        awaitOutstanding(CLOSE_WAIT);
    }

    private void awaitOutstanding(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (outstandingLock) {
            // A callback that brings the count to 0 notifies under this lock, so it cannot slip
            // between the check and the wait.
            while (outstanding.get() > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new FerryException(
                            IO_ERROR,
                            outstanding.get() + " events of " + where() + " are still unacknowledged by Kafka at "
                                    + settings.bootstrapServers() + " after " + timeout
                                    + "; check the brokers, then resume the job");
                }
                try {
                    outstandingLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FerryException(
                            IO_ERROR, "interrupted while waiting for Kafka to acknowledge " + where(), e);
                }
            }
        }
    }

    private void throwIfFailed() {
        FerryException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }

    private FerryException sendFailure(SourceCoordinates from, int partition, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new FerryException(
                IO_ERROR,
                "writing record " + from + " to " + topic + "/" + partition + " at "
                        + settings.bootstrapServers() + " failed: " + reason
                        + "; resume the job: it continues after the last record found in the target",
                cause);
    }

    private List<Integer> targetPartitions() {
        int count = target.partitions();
        int source = context.split().partition();
        return switch (settings.partitioning()) {
            case Partitioning.Same same -> {
                if (source >= count) {
                    throw new FerryException(
                            BAD_OPTION,
                            "split " + context.split().id() + " comes from partition " + source + ", but the target"
                                    + " topic '" + topic + "' has " + count + " partitions (0 to " + (count - 1)
                                    + "): add partitions, or use --partition-map or --partitioner key");
                }
                yield List.of(source);
            }
            case Partitioning.Mapped mapped -> {
                Integer mappedTo = mapped.targets().get(source);
                if (mappedTo == null || mappedTo >= count) {
                    throw new FerryException(
                            BAD_OPTION,
                            "--partition-map " + mapped.targets() + " maps source partition " + source + " of split "
                                    + context.split().id() + (mappedTo == null ? " nowhere" : " to " + mappedTo)
                                    + "; the target topic '" + topic + "' has partitions 0 to " + (count - 1));
                }
                yield List.of(mappedTo);
            }
            case Partitioning.ByKey byKey -> {
                List<Integer> all = new ArrayList<>();
                for (int p = 0; p < count; p++) {
                    all.add(p);
                }
                yield all;
            }
        };
    }

    private int partitionOf(Record record) {
        return switch (settings.partitioning()) {
            case Partitioning.Same same -> context.split().partition();
            case Partitioning.Mapped mapped ->
                mapped.targets().get(context.split().partition());
            case Partitioning.ByKey byKey -> {
                // As Kafka's default partitioner for keyed records; by origin for null keys, so a record
                // written again after a crash goes where its first copy went.
                byte[] recordKey = record.key();
                byte[] key = recordKey != null ? recordKey : origin(record).getBytes(UTF_8);
                yield Utils.toPositive(Utils.murmur2(key)) % target.partitions();
            }
        };
    }

    /** The events for one record: itself, or its chunks when it is larger than an event may be. */
    private List<ProducerRecord<byte[], byte[]>> events(Record record, int partition) {
        List<Header> recordHeaders = record.headers();
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>(recordHeaders.size() + 2);
        long headerBytes = 0;
        for (Header header : recordHeaders) {
            String name = header.name();
            if (name.startsWith("ferry.")
                    && (name.equals(FerryHeaders.ORIGIN)
                            || name.equals(FerryHeaders.JOB)
                            || ChunkHeader.isChunkHeader(name))) {
                continue; // ferry's own, from an earlier import: replaced by this one's
            }
            headers.add(new RecordHeader(name, header.value()));
            headerBytes += Utils.utf8Length(name) + (header.value() == null ? 0 : header.value().length) + 10L;
        }
        byte[] origin = originBytes(record.from());
        long ferryBytes = 40L + origin.length + jobBytes.length;
        byte[] key = record.key();
        byte[] value = record.value();
        long keyBytes = key == null ? 0 : key.length;
        Long timestamp = record.timestamp() == Record.NO_TIMESTAMP ? null : record.timestamp();
        int limit = target.maxEventSize() - KafkaSink.FRAMING_BYTES;
        long whole = keyBytes + (value == null ? 0 : value.length) + headerBytes + ferryBytes;
        if (value == null || whole <= limit) {
            headers.add(new RecordHeader(FerryHeaders.ORIGIN, origin));
            headers.add(new RecordHeader(FerryHeaders.JOB, jobBytes));
            return List.of(new ProducerRecord<>(topic, partition, timestamp, key, value, headers));
        }
        List<org.apache.kafka.common.header.Header> ferry =
                List.of(new RecordHeader(FerryHeaders.ORIGIN, origin), new RecordHeader(FerryHeaders.JOB, jobBytes));
        String originText = new String(origin, UTF_8);
        long room = limit - keyBytes - headerBytes - ferryBytes - CHUNK_HEADER_BYTES;
        if (room < 1024) {
            throw new FerryException(
                    BAD_RECORD,
                    "record " + record.from() + " has " + (keyBytes + headerBytes)
                            + " bytes of key and headers, too many to split its value into events of at most "
                            + target.maxEventSize() + " bytes for topic '" + topic
                            + "'; raise --max-event-size or the topic's max.message.bytes");
        }
        int chunkSize = (int) room;
        int count = (value.length + chunkSize - 1) / chunkSize;
        String id = chunkId(context.jobName(), originText);
        String sha256 = sha256(value);
        List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            List<org.apache.kafka.common.header.Header> all = new ArrayList<>(index == 0 ? headers : List.of());
            all.addAll(ferry);
            all.addAll(new ChunkHeader(id, index, count, value.length, sha256).toKafkaHeaders());
            byte[] piece =
                    Arrays.copyOfRange(value, index * chunkSize, Math.min(value.length, (index + 1) * chunkSize));
            events.add(new ProducerRecord<>(topic, partition, timestamp, key, piece, all));
        }
        return events;
    }

    /** The same for every copy of one record's chunks, so a copy written again replaces one cut short. */
    static String chunkId(String job, String origin) {
        return UUID.nameUUIDFromBytes((job + "\n" + origin).getBytes(UTF_8)).toString();
    }

    private static String origin(Record record) {
        return record.from().stream() + "/" + record.from().partition() + "/"
                + record.from().offset();
    }

    /** {@link #origin} in UTF-8, made from a cached {@code stream/partition/} prefix. */
    private byte[] originBytes(SourceCoordinates from) {
        if (!from.stream().equals(originStream) || from.partition() != originPartition) {
            originPrefix = (from.stream() + "/" + from.partition() + "/").getBytes(UTF_8);
            originStream = from.stream();
            originPartition = from.partition();
        }
        long offset = from.offset();
        int digits = 1;
        for (long rest = offset / 10; rest > 0; rest /= 10) {
            digits++;
        }
        byte[] bytes = Arrays.copyOf(originPrefix, originPrefix.length + digits);
        for (int i = bytes.length - 1; i >= originPrefix.length; i--) {
            bytes[i] = (byte) ('0' + offset % 10);
            offset /= 10;
        }
        return bytes;
    }

    private String state() {
        return durable.entrySet().stream()
                .map(e -> "p" + e.getKey() + "=" + e.getValue()[0] + "@" + e.getValue()[1])
                .collect(Collectors.joining(";"));
    }

    private Map<Integer, long[]> parseState(String state) {
        Map<Integer, long[]> parsed = new TreeMap<>();
        if (state.isEmpty()) {
            return parsed;
        }
        for (String item : state.split(";", -1)) {
            try {
                int equals = item.indexOf('=');
                int at = item.indexOf('@');
                if (!item.startsWith("p") || equals < 0 || at < equals) {
                    throw new NumberFormatException(item);
                }
                parsed.put(Integer.parseInt(item.substring(1, equals)), new long[] {
                    Long.parseLong(item.substring(equals + 1, at)), Long.parseLong(item.substring(at + 1))
                });
            } catch (NumberFormatException e) {
                throw new FerryException(
                        CANNOT_RESUME,
                        "the checkpoint of " + where() + " holds '" + state
                                + "', which is not the state of ferry's Kafka sink"
                                + " (p<partition>=<offset>@<origin offset>;...); the state store is damaged or"
                                + " belongs to another destination: start a new job");
            }
        }
        return parsed;
    }

    private String where() {
        return "split " + context.split().id() + " into topic '" + topic + "'";
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
