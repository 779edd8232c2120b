package io.ferry.edfi.state;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads lightbeam's own state files, {@code {state_dir}/{resource}.dat}: a Python pickle (protocol 3
 * to 5) of a dict from the 16-byte MD5 of a payload to a tuple {@code (epoch seconds, status)}.
 * Only the pickle opcodes such a dict uses are understood; anything else is reported, not guessed.
 */
public final class LightbeamState {
    private static final Object MARK = new Object();

    private LightbeamState() {}

    /** The resources with a lightbeam state file in {@code directory}, each with its answers. */
    public static Map<String, Map<PayloadHash, SentRecord>> readDirectory(Path directory) {
        Map<String, Map<PayloadHash, SentRecord>> resources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".dat") && Files.isRegularFile(file)) {
                    resources.put(name.substring(0, name.length() - 4), read(file));
                }
            }
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    "cannot list lightbeam's state directory " + directory + ": " + e.getMessage(),
                    e);
        }
        return resources;
    }

    /**
     * Imports every lightbeam state file of {@code lightbeamDir} into ferry's state in {@code stateDir};
     * payloads ferry already has an answer for keep it. Returns the payloads imported per resource.
     */
    public static Map<String, Integer> importInto(Path lightbeamDir, Path stateDir) {
        Map<String, Integer> imported = new LinkedHashMap<>();
        for (Map.Entry<String, Map<PayloadHash, SentRecord>> resource :
                readDirectory(lightbeamDir).entrySet()) {
            int count = 0;
            try (PayloadState state = PayloadState.open(stateDir, resource.getKey())) {
                for (Map.Entry<PayloadHash, SentRecord> entry :
                        resource.getValue().entrySet()) {
                    if (state.find(entry.getKey()).isEmpty()) {
                        state.record(entry.getKey(), entry.getValue());
                        count++;
                    }
                }
            }
            imported.put(resource.getKey(), count);
        }
        return imported;
    }

    /** The answers recorded in one lightbeam state file. */
    public static Map<PayloadHash, SentRecord> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FerryException(EdFiErrorCode.BAD_ARGUMENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
        Object value;
        try {
            value = unpickle(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        } catch (RuntimeException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    file + " is not a lightbeam state file (a pickled dict of MD5 to (time, status)): "
                            + e.getMessage(),
                    e);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new FerryException(EdFiErrorCode.BAD_ARGUMENT, file + " does not hold a pickled dict");
        }
        Map<PayloadHash, SentRecord> records = new HashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof byte[] hash)
                    || hash.length != 16
                    || !(entry.getValue() instanceof List<?> tuple)
                    || tuple.size() != 2
                    || !(tuple.get(0) instanceof Long time)
                    || !(tuple.get(1) instanceof Long status)) {
                throw new FerryException(
                        EdFiErrorCode.BAD_ARGUMENT, file + " has an entry that is not MD5 -> (time, status)");
            }
            records.put(new PayloadHash(toLong(hash, 0), toLong(hash, 8)), new SentRecord(time, (int) (long) status));
        }
        return records;
    }

    private static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static Object unpickle(ByteBuffer in) {
        Deque<Object> stack = new ArrayDeque<>();
        Map<Long, Object> memo = new HashMap<>();
        while (true) {
            int opcode = in.get() & 0xFF;
            switch (opcode) {
                case 0x80 -> in.get(); // PROTO
                case 0x95 -> in.getLong(); // FRAME
                case '}' -> stack.push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case ')' -> stack.push(new ArrayList<Object>()); // EMPTY_TUPLE
                case 0x94 -> memo.put((long) memo.size(), peek(stack)); // MEMOIZE
                case 'q' -> memo.put((long) (in.get() & 0xFF), peek(stack)); // BINPUT
                case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, peek(stack)); // LONG_BINPUT
                case 'h' -> stack.push(memoized(memo, in.get() & 0xFF)); // BINGET
                case 'j' -> stack.push(memoized(memo, in.getInt() & 0xFFFFFFFFL)); // LONG_BINGET
                case '(' -> stack.push(MARK);
                case 'C' -> stack.push(bytes(in, in.get() & 0xFF)); // SHORT_BINBYTES
                case 'B' -> stack.push(bytes(in, in.getInt())); // BINBYTES
                case 'J' -> stack.push((long) in.getInt()); // BININT
                case 'K' -> stack.push((long) (in.get() & 0xFF)); // BININT1
                case 'M' -> stack.push((long) (in.getShort() & 0xFFFF)); // BININT2
                case 0x8a -> stack.push(long1(in)); // LONG1
                case 'N' -> stack.push("None"); // NONE
                case 0x85 -> stack.push(new ArrayList<>(List.of(pop(stack)))); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object second = pop(stack);
                    Object first = pop(stack);
                    stack.push(new ArrayList<>(List.of(first, second)));
                }
                case 0x87 -> { // TUPLE3
                    Object third = pop(stack);
                    Object second = pop(stack);
                    Object first = pop(stack);
                    stack.push(new ArrayList<>(List.of(first, second, third)));
                }
                case 't' -> stack.push(untilMark(stack)); // TUPLE
                case 's' -> { // SETITEM
                    Object value = pop(stack);
                    Object key = pop(stack);
                    dict(peek(stack)).put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = untilMark(stack);
                    Map<Object, Object> dict = dict(peek(stack));
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        dict.put(items.get(i), items.get(i + 1));
                    }
                }
                case '.' -> {
                    return pop(stack); // STOP
                }
                default ->
                    throw new IllegalArgumentException(String.format(
                            java.util.Locale.ROOT,
                            "unsupported pickle opcode 0x%02x at byte %d",
                            opcode,
                            in.position() - 1));
            }
        }
    }

    private static Object memoized(Map<Long, Object> memo, long index) {
        Object value = memo.get(index);
        if (value == null) {
            throw new IllegalArgumentException("the pickle refers to memo entry " + index + ", which it never stored");
        }
        return value;
    }

    private static Object peek(Deque<Object> stack) {
        Object top = stack.peek();
        if (top == null) {
            throw new IllegalArgumentException("the pickle stack is empty");
        }
        return top;
    }

    private static Object pop(Deque<Object> stack) {
        Object top = stack.poll();
        if (top == null || top == MARK) {
            throw new IllegalArgumentException("the pickle stack is empty");
        }
        return top;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("SETITEM on something that is not a dict");
        }
        return (Map<Object, Object>) value;
    }

    private static List<Object> untilMark(Deque<Object> stack) {
        List<Object> items = new ArrayList<>();
        while (true) {
            Object item = stack.poll();
            if (item == null) {
                throw new IllegalArgumentException("no MARK on the pickle stack");
            }
            if (item == MARK) {
                break;
            }
            items.add(0, item);
        }
        return items;
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static long long1(ByteBuffer in) {
        int length = in.get() & 0xFF;
        if (length > 8) {
            throw new IllegalArgumentException("an integer of " + length + " bytes is too large");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (in.get() & 0xFFL) << (8 * i);
        }
        if (length > 0 && length < 8 && (value & (1L << (8 * length - 1))) != 0) {
            value -= 1L << (8 * length); // two's complement
        }
        return value;
    }
}
