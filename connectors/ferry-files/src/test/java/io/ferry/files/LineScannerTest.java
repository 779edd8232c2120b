package io.ferry.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineScannerTest {
    @Test
    void findsTheFirstLineFeedAtEveryAlignment() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[random.nextInt(1, 40)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly bytes near 0x0a, to catch borrow mistakes in the word-at-a-time search.
                bytes[i] = (byte) (random.nextInt(6) == 0 ? '\n' : random.nextInt(0, 256));
            }
            int from = random.nextInt(bytes.length);
            int to = random.nextInt(from, bytes.length + 1);
            assertEquals(naiveIndexOf(bytes, from, to), LineScanner.indexOfLineFeed(bytes, from, to));
        }
    }

    @Test
    void splitsLinesThatStraddleReadsOfOneByte() throws Exception {
        byte[] content = "a\n\nbc\r\n\u00e9\u65e5\nlast".getBytes(UTF_8);
        LineScanner scanner = new LineScanner(new OneByteAtATime(new ByteArrayInputStream(content)), 0, 100);
        List<String> lines = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        byte[] line;
        while ((line = scanner.nextLine()) != null) {
            lines.add(new String(line, UTF_8));
            offsets.add(scanner.offset());
        }
        assertEquals(List.of("a", "", "bc\r", "\u00e9\u65e5", "last"), lines);
        assertEquals(List.of(2L, 3L, 7L, 13L, (long) content.length), offsets);
        assertFalse(scanner.lastTerminated());
        assertTrue(scanner.exhausted());
    }

    @Test
    void growsTheBufferForALineLongerThanIt() throws Exception {
        byte[] line = new byte[LineScanner.INITIAL_BUFFER_BYTES * 3 + 5];
        java.util.Arrays.fill(line, (byte) 'x');
        byte[] content = new byte[line.length + 3];
        System.arraycopy(line, 0, content, 0, line.length);
        content[line.length] = '\n';
        content[line.length + 1] = 'y';
        content[line.length + 2] = '\n';
        LineScanner scanner = new LineScanner(new ByteArrayInputStream(content), 10, line.length);
        assertArrayEquals(line, scanner.nextLine());
        assertEquals(10L + line.length + 1, scanner.offset());
        assertArrayEquals(new byte[] {'y'}, scanner.nextLine());
        assertNull(scanner.nextLine());
    }

    @Test
    void refusesALineLongerThanTheMaximumWithoutANewlineInSight() {
        byte[] content = new byte[5_000];
        java.util.Arrays.fill(content, (byte) 'x');
        LineScanner scanner = new LineScanner(new OneByteAtATime(new ByteArrayInputStream(content)), 0, 1_000);
        LineTooLongException error = assertThrows(LineTooLongException.class, () -> {
            scanner.nextLine();
        });
        assertEquals(1_001, error.length());
        assertFalse(error.exact());
    }

    private static int naiveIndexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Returns one byte per read, the worst case for a scanner's buffering. */
    private static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }
}
