package io.ferry.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.record.Record;
import io.ferry.spi.source.Split;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TestRecordsTest {
    @Test
    void givesTheSameValuesForTheSameSeed() {
        List<byte[]> first = TestRecords.values(42, 500, EnumSet.allOf(ValueKind.class));
        List<byte[]> second = TestRecords.values(42, 500, EnumSet.allOf(ValueKind.class));
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "value " + i);
        }
    }

    @Test
    void startsWithOneValueOfEachKindInDeclarationOrder() {
        List<ValueKind> kinds = List.of(ValueKind.values());
        List<byte[]> values = TestRecords.values(1, kinds.size(), EnumSet.allOf(ValueKind.class));
        assertEquals(0, values.get(kinds.indexOf(ValueKind.EMPTY)).length);
        assertTrue(isUtf8(values.get(kinds.indexOf(ValueKind.MULTIBYTE_UTF8))));
        assertTrue(new String(values.get(kinds.indexOf(ValueKind.MULTIBYTE_UTF8)), UTF_8)
                .chars()
                .anyMatch(c -> c > 127));
        assertFalse(isUtf8(values.get(kinds.indexOf(ValueKind.INVALID_UTF8))));
        byte[] crlf = values.get(kinds.indexOf(ValueKind.TRAILING_CARRIAGE_RETURN));
        assertEquals('\r', crlf[crlf.length - 1]);
        assertTrue(values.get(kinds.indexOf(ValueKind.LONG)).length >= 64 * 1024);
        assertTrue(contains(values.get(kinds.indexOf(ValueKind.LINE_FEED)), (byte) '\n'));
    }

    @Test
    void keepsLineFeedsOutOfEveryOtherKind() {
        SplittableRandom random = new SplittableRandom(3);
        for (ValueKind kind : EnumSet.complementOf(EnumSet.of(ValueKind.LINE_FEED))) {
            for (int i = 0; i < 200; i++) {
                assertFalse(contains(TestRecords.value(kind, random), (byte) '\n'), kind.toString());
            }
        }
    }

    @Test
    void makesLongLinesOfExactlyTheAskedLength() {
        byte[] line = TestRecords.longLine(1 << 20, 5);
        assertEquals(1 << 20, line.length);
        assertFalse(contains(line, (byte) '\n'));
    }

    @Test
    void numbersRecordsWithGapsInTheSplitsStream() {
        Split split = new Split("s", "orders", 2);
        List<Record> records = TestRecords.records(split, 10, List.of(new byte[1], new byte[2]));
        assertEquals(10, records.get(0).offset());
        assertEquals(12, records.get(1).offset());
        assertEquals("orders", records.get(1).from().stream());
        assertEquals(2, records.get(1).from().partition());
        assertEquals(new TestPosition(12), records.get(1).position());
        assertEquals(
                new TestPosition(12),
                TestPosition.decode(records.get(1).position().encode()));
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
