package io.ferry.kafka;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Sends test records through a producer without waiting for each, and makes {@link #flush} fail when
 * any of them was not written, so a test never runs on fewer records than it produced.
 */
public final class CheckedSends {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
    private long sent;

    public CheckedSends(KafkaProducer<byte[], byte[]> producer) {
        this.producer = requireNonNull(producer, "producer is null");
    }

    public void send(ProducerRecord<byte[], byte[]> record) {
        // The callback keeps the outcome; flush reports it.
        Future<RecordMetadata> unused = producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        });
        sent++;
    }

    /** Waits until every record sent is acknowledged; fails if any send failed. */
    public void flush() {
        producer.flush();
        Exception first = failure.get();
        if (first != null) {
            throw new IllegalStateException("not every one of the " + sent + " test records was written", first);
        }
    }
}
