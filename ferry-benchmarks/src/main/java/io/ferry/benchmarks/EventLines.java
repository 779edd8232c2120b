package io.ferry.benchmarks;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * Synthetic JSONL events of exactly {@link #LINE_BYTES} bytes each, line feed included: an
 * application event with ids, a timestamp, a few enumerated fields and a message of words drawn from
 * a small vocabulary, so that it compresses roughly like real logs (zstd -1 about 3.8:1). ASCII
 * only, so every line is valid UTF-8, and no string in it needs escaping (as an envelope value, its
 * 20 or so quotes do). The same seed gives the same lines.
 */
public final class EventLines {
    /** Bytes per line, the final line feed included. */
    public static final int LINE_BYTES = 1024;

    private static final String[] ACTIONS = {"view", "search", "add_to_cart", "checkout", "refund", "login", "logout"};
    private static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1"};
    private static final byte[][] WORDS = words();
    private static final byte[] HEX = "0123456789abcdef".getBytes(US_ASCII);
    private static final long START_MILLIS = 1_763_800_000_000L; // 2025-11-22

    private final SplittableRandom random;
    private long next;

    public EventLines(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes the next line, {@link #LINE_BYTES} bytes ending in a line feed, at {@code offset}. */
    public void next(byte[] into, int offset) {
        long id = next++;
        int end = offset + LINE_BYTES - 1; // the line feed's index
        int at = offset;
        at = put(into, at, "{\"id\":");
        at = putLong(into, at, id);
        at = put(into, at, ",\"ts\":");
        at = putLong(into, at, START_MILLIS + id * 7 + random.nextInt(5));
        at = put(into, at, ",\"trace\":\"");
        for (int i = 0; i < 32; i++) {
            into[at++] = HEX[random.nextInt(16)];
        }
        at = put(into, at, "\",\"user\":\"user-");
        at = putLong(into, at, 10_000 + random.nextInt(90_000));
        at = put(into, at, "\",\"action\":\"");
        at = put(into, at, ACTIONS[random.nextInt(ACTIONS.length)]);
        at = put(into, at, "\",\"region\":\"");
        at = put(into, at, REGIONS[random.nextInt(REGIONS.length)]);
        at = put(into, at, "\",\"amount\":");
        at = putLong(into, at, random.nextInt(100_000));
        at = put(into, at, ",\"message\":\"");
        int messageEnd = end - 2; // room for the closing quote and brace
        while (at < messageEnd) {
            byte[] word = WORDS[random.nextInt(WORDS.length)];
            int length = Math.min(word.length, messageEnd - at);
            System.arraycopy(word, 0, into, at, length);
            at += length;
            if (at < messageEnd) {
                into[at++] = ' ';
            }
        }
        into[at++] = '"';
        into[at++] = '}';
        into[at] = '\n';
    }

    /** A new array holding the next line, line feed included. */
    public byte[] next() {
        byte[] line = new byte[LINE_BYTES];
        next(line, 0);
        return line;
    }

    /**
     * Writes {@code lines} lines to {@code file}, replacing it; through a temporary file, so that an
     * interrupted run never leaves a short file under the final name.
     */
    public static void writeFile(Path file, long lines, long seed) throws IOException {
        EventLines events = new EventLines(seed);
        int perChunk = 1024;
        byte[] chunk = new byte[perChunk * LINE_BYTES];
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel out = FileChannel.open(
                partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (long written = 0; written < lines; ) {
                int count = (int) Math.min(perChunk, lines - written);
                for (int i = 0; i < count; i++) {
                    events.next(chunk, i * LINE_BYTES);
                }
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, count * LINE_BYTES);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                written += count;
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int put(byte[] into, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            into[at + i] = (byte) ascii.charAt(i);
        }
        return at + ascii.length();
    }

    private static int putLong(byte[] into, int at, long value) {
        String digits = Long.toString(value);
        return put(into, at, digits);
    }

    private static byte[][] words() {
        String text = "the order was shipped from warehouse to customer after payment confirmed by bank gateway"
                + " retry timeout latency request response cache miss hit database query index scan row"
                + " update insert delete commit rollback session token expired refreshed user profile cart"
                + " item price discount coupon applied rejected inventory reserved released stock low high"
                + " error warning info debug trace span service checkout search catalog recommendation"
                + " ranking model score click impression banner campaign email notification sent queued"
                + " delivered bounced opened region zone node pod container restarted healthy unhealthy"
                + " memory cpu disk network throughput bytes records batch flush checkpoint offset"
                + " partition topic consumer producer lag rebalance assigned revoked";
        String[] split = text.split(" ", -1); // no empty words: single spaces, none trailing
        byte[][] words = new byte[split.length][];
        for (int i = 0; i < split.length; i++) {
            words[i] = split[i].getBytes(US_ASCII);
        }
        return words;
    }
}
