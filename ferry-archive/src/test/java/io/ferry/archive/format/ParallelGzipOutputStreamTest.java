package io.ferry.archive.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {
    private static final int BLOCK = ParallelGzipOutputStream.BLOCK_BYTES;

    @Test
    void roundTripsEverySizeAroundBlockBoundaries() throws IOException {
        for (int size : new int[] {0, 1, 100, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 12345}) {
            byte[] input = csvLike(size, size);
            for (int threads = 1; threads <= 3; threads++) {
                byte[] compressed = compress(input, 6, threads, 8191);
                assertArrayEquals(input, gunzip(compressed), "size " + size + ", " + threads + " threads");
            }
        }
    }

    @Test
    void outputIsOneDeterministicMemberWhateverTheThreadCount() throws IOException {
        byte[] input = csvLike(5 * BLOCK + 777, 42);
        byte[] one = compress(input, 6, 1, 65536);
        byte[] three = compress(input, 6, 3, 1000);
        assertArrayEquals(one, three);
        // a single member: header once, trailer holds the CRC and length of the whole input
        assertEquals((byte) 0x1f, one[0]);
        assertEquals((byte) 0x8b, one[1]);
        int length = (one[one.length - 4] & 0xff)
                | (one[one.length - 3] & 0xff) << 8
                | (one[one.length - 2] & 0xff) << 16
                | (one[one.length - 1] & 0xff) << 24;
        assertEquals(input.length, length);
    }

    @Test
    void compressesAboutAsWellAsOneThreadDeflate() throws IOException {
        byte[] input = csvLike(8 * BLOCK, 7);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(single)) {
            gzip.write(input);
        }
        byte[] parallel = compress(input, Compression.GZIP.defaultLevel(), 2, 65536);
        assertTrue(parallel.length < single.size() * 1.01, parallel.length + " bytes vs " + single.size());
    }

    @Test
    void randomBytesRoundTrip() throws IOException {
        byte[] input = new byte[2 * BLOCK + 5];
        new Random(3).nextBytes(input);
        assertArrayEquals(input, gunzip(compress(input, 1, 2, 4096)));
        assertArrayEquals(input, gunzip(compress(input, 9, 2, 4096)));
    }

    @Test
    void theGzipToolReadsIt(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(onPath("gzip"), "gzip is not installed");
        byte[] input = csvLike(3 * BLOCK + 99, 11);
        Path file = dir.resolve("data.csv.gz");
        Files.write(file, compress(input, 6, 2, 65536));
        Process gzip = new ProcessBuilder("gzip", "-t", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(gzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gzip.waitFor(), output);
        Process decompress = new ProcessBuilder("gzip", "-dc", file.toString()).start();
        byte[] restored = decompress.getInputStream().readAllBytes();
        assertEquals(0, decompress.waitFor());
        assertArrayEquals(input, restored);
    }

    private static byte[] compress(byte[] input, int level, int threads, int chunk) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream gzip = Compression.GZIP.compress(sink, level, threads)) {
            for (int offset = 0; offset < input.length; offset += chunk) {
                gzip.write(input, offset, Math.min(chunk, input.length - offset));
            }
        }
        return sink.toByteArray();
    }

    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    // Rows shaped like a CSV export: compressible, but not trivially so.
    private static byte[] csvLike(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 100);
        long id = 0;
        while (text.length() < size) {
            text.append(++id)
                    .append(',')
                    .append(random.nextInt(50_000))
                    .append(",2024-01-01 00:")
                    .append(random.nextInt(60))
                    .append(',')
                    .append(Long.toHexString(random.nextLong()))
                    .append('\n');
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
