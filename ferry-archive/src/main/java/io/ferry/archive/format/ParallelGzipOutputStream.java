package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member compressed by several threads, the way pigz does it: the input is cut into blocks,
 * each block is deflated on a worker with the previous block's last 32 KiB as its preset dictionary
 * and ends with a sync flush, and the deflated blocks are written in order. The result is a single
 * ordinary gzip stream ({@code gzip -dc} reads it) about as small as a one-thread deflate at the same
 * level, and the output is deterministic whatever the thread count.
 *
 * <p>Memory is bounded: at most {@code threads + 1} blocks are in flight. The CRC of the whole input is
 * computed on the writing thread (CRC32 runs at several GB/s, far faster than deflate).
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK_BYTES = 256 * 1024;
    private static final int DICTIONARY_BYTES = 32 * 1024;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final OutputStream out;
    private final int level;
    private final int maxInFlight;
    private final ExecutorService workers;
    private final BlockingQueue<Deflater> deflaters;
    private final ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK_BYTES];
    private int filled;
    private byte[] dictionary = new byte[0];
    private long totalBytes;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this.out = requireNonNull(out, "out is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.level = level;
        this.maxInFlight = threads + 1;
        this.deflaters = new ArrayBlockingQueue<>(maxInFlight);
        for (int i = 0; i < maxInFlight; i++) {
            deflaters.add(new Deflater(level, true));
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "ferry-gzip-" + pool + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.workers = Executors.newFixedThreadPool(threads, factory);
        writeHeader();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        int position = offset;
        int remaining = length;
        while (remaining > 0) {
            int take = Math.min(remaining, block.length - filled);
            System.arraycopy(bytes, position, block, filled, take);
            filled += take;
            position += take;
            remaining -= take;
            if (filled == block.length) {
                submit(false);
            }
        }
    }

    /** Writes the blocks already deflated; data still being collected stays until a block is full. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            out.write(await(inFlight.removeFirst()));
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (OutputStream target = out) {
            submit(true);
            while (!inFlight.isEmpty()) {
                target.write(await(inFlight.removeFirst()));
            }
            writeTrailer(target);
        } finally {
            shutdown();
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int length = filled;
        byte[] preset = dictionary;
        crc.update(input, 0, length);
        totalBytes += length;
        dictionary = length >= DICTIONARY_BYTES
                ? Arrays.copyOfRange(input, length - DICTIONARY_BYTES, length)
                : tail(preset, input, length);
        while (inFlight.size() >= maxInFlight) {
            out.write(await(inFlight.removeFirst()));
        }
        inFlight.addLast(CompletableFuture.supplyAsync(() -> deflate(input, length, preset, last), workers));
        block = last ? new byte[0] : new byte[BLOCK_BYTES];
        filled = 0;
    }

    private byte[] deflate(byte[] input, int length, byte[] preset, boolean last) {
        Deflater deflater = deflaters.remove();
        try {
            deflater.reset();
            if (preset.length > 0) {
                deflater.setDictionary(preset);
            }
            deflater.setInput(input, 0, length);
            if (last) {
                deflater.finish();
            }
            byte[] output = new byte[length + length / 1000 + 64];
            int produced = 0;
            int mode = last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH;
            while (true) {
                if (produced == output.length) {
                    output = Arrays.copyOf(output, output.length * 2);
                }
                int space = output.length - produced;
                int n = deflater.deflate(output, produced, space, mode);
                produced += n;
                // a sync flush is complete once deflate leaves output space unused
                boolean done = last ? deflater.finished() : n < space;
                if (done) {
                    return Arrays.copyOf(output, produced);
                }
            }
        } finally {
            deflaters.add(deflater);
        }
    }

    // The last 32 KiB of what came before plus this (short) block: the dictionary for the next block.
    private static byte[] tail(byte[] previous, byte[] input, int length) {
        int keepPrevious = Math.min(previous.length, DICTIONARY_BYTES - length);
        byte[] result = new byte[keepPrevious + length];
        System.arraycopy(previous, previous.length - keepPrevious, result, 0, keepPrevious);
        System.arraycopy(input, 0, result, keepPrevious, length);
        return result;
    }

    private static byte[] await(CompletableFuture<byte[]> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("gzip compression failed", e.getCause());
        }
    }

    private void writeHeader() throws IOException {
        // magic, deflate, no flags, no mtime (deterministic output), extra flags by level, OS unknown
        int extraFlags = level == Deflater.BEST_COMPRESSION ? 2 : level == Deflater.BEST_SPEED ? 4 : 0;
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) extraFlags, (byte) 0xff});
    }

    private void writeTrailer(OutputStream target) throws IOException {
        writeIntLittleEndian(target, (int) crc.getValue());
        writeIntLittleEndian(target, (int) totalBytes);
    }

    private static void writeIntLittleEndian(OutputStream target, int value) throws IOException {
        target.write(new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    private void shutdown() {
        workers.shutdownNow();
        for (Deflater deflater : deflaters) {
            deflater.end();
        }
    }
}
