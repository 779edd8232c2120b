package io.ferry.files;

import java.util.Locale;
import java.util.Optional;

/** How a JSONL file is compressed: told by its name's suffix and confirmed by its first bytes. */
enum Compression {
    NONE("", 0, 0, "uncompressed"),
    GZIP(".gz", 0x1f8b, 2, "gzip"),
    ZSTD(".zst", 0x28b52ffd, 4, "zstd");

    /** Bytes to read from a file's start to recognize any of the formats. */
    static final int MAGIC_LENGTH = 4;

    private final String suffix;
    private final int magic; // the first magicLength bytes, big-endian
    private final int magicLength;
    private final String displayName;

    Compression(String suffix, int magic, int magicLength, String displayName) {
        this.suffix = suffix;
        this.magic = magic;
        this.magicLength = magicLength;
        this.displayName = displayName;
    }

    String suffix() {
        return suffix;
    }

    String displayName() {
        return displayName;
    }

    /** The magic bytes as hex, such as {@code 1f 8b}. */
    String magicHex() {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < magicLength; i++) {
            if (!hex.isEmpty()) {
                hex.append(' ');
            }
            hex.append(String.format(Locale.ROOT, "%02x", magicByte(i)));
        }
        return hex.toString();
    }

    /** The compression a file name says: {@code .gz}, {@code .zst} or none. */
    static Compression ofName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(GZIP.suffix)) {
            return GZIP;
        }
        if (lower.endsWith(ZSTD.suffix)) {
            return ZSTD;
        }
        return NONE;
    }

    /** The compressed format {@code head} (the first {@code length} bytes of a file) starts with, if any. */
    static Optional<Compression> ofMagic(byte[] head, int length) {
        for (Compression compression : new Compression[] {GZIP, ZSTD}) {
            if (compression.startsWithMagic(head, length)) {
                return Optional.of(compression);
            }
        }
        return Optional.empty();
    }

    private boolean startsWithMagic(byte[] head, int length) {
        if (length < magicLength) {
            return false;
        }
        for (int i = 0; i < magicLength; i++) {
            if ((head[i] & 0xff) != magicByte(i)) {
                return false;
            }
        }
        return true;
    }

    private int magicByte(int index) {
        return (magic >>> (8 * (magicLength - 1 - index))) & 0xff;
    }
}
